// Include this instead of any Boost.Asio/Beast header directly.
//
// Boost 1.74's Asio under C++20 with g++ 12 fails inside awaitable.hpp
// ("'exchange' is not a member of 'std'") unless <utility> comes first.
#pragma once
#include <utility>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
