#include "http/server.h"

#include "common/asio.h"
#include "common/crypto.h"
#include "common/log.h"

#include <sys/resource.h>

#include <thread>
#include <vector>

namespace aftersales::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// Lowers the calling thread's priority by `nice`; threads it starts from now on inherit it (Linux
// keeps a nice value per thread). Lowering needs no privilege; failing leaves things as they were.
int lower_priority(int nice) {
  if (nice > 0) setpriority(PRIO_PROCESS, 0, std::min(nice, 19));
  return nice;
}

bool valid_request_id(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.';
  });
}

}  // namespace

class Server::Impl {
 public:
  Impl(Pipeline& pipeline, const std::string& host, unsigned short port, ServerLimits limits)
      : pipeline_(pipeline),
        limits_(limits),
        nice_(lower_priority(limits.nice)),  // before the pools below start their threads
        ioc_(limits.threads),
        readers_(static_cast<std::size_t>(std::max(1, limits.read_threads))),
        searchers_(static_cast<std::size_t>(std::max(1, limits.search_threads))),
        writers_(static_cast<std::size_t>(std::max(1, limits.write_threads))),
        acceptor_(ioc_),
        signals_(ioc_, SIGINT, SIGTERM) {
    beast::error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec) throw std::runtime_error("invalid listen address '" + host + "'");
    tcp::endpoint endpoint(address, port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
  }

  void run() {
    signals_.async_wait([this](beast::error_code ec, int sig) {
      if (!ec) {
        log::info("shutting down", {{"signal", sig}, {"in_flight", in_flight_.load()}});
        begin_shutdown();
      }
    });
    do_accept();
    std::vector<std::thread> threads;
    for (int i = 1; i < limits_.threads; ++i) threads.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (auto& t : threads) t.join();
  }

  void begin_shutdown() {
    asio::post(ioc_, [this] {
      if (stopping_.exchange(true)) return;
      beast::error_code ec;
      acceptor_.close(ec);
      signals_.cancel(ec);
      deadline_ = std::chrono::steady_clock::now() + limits_.shutdown_grace;
      opening_deadline_ = std::min(deadline_, std::chrono::steady_clock::now() + std::chrono::seconds(1));
      poll_drained();
    });
  }

  // Waits for in-flight requests to finish, then stops the loop (idle keep-alive connections
  // are simply closed: they have nothing to lose). A connection accepted before the signal whose
  // first request has not arrived whole yet gets a second for it: its client has sent or is
  // sending that request and would otherwise see the connection reset.
  void poll_drained() {
    const auto now = std::chrono::steady_clock::now();
    const bool opening = opening_.load() > 0 && now < opening_deadline_;
    if ((in_flight_.load() == 0 && !opening) || now >= deadline_) {
      ioc_.stop();
      return;
    }
    auto timer = std::make_shared<asio::steady_timer>(ioc_, std::chrono::milliseconds(20));
    timer->async_wait([this, timer](beast::error_code) { poll_drained(); });
  }

  void do_accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (!stopping_) do_accept();
        return;
      }
      std::make_shared<Session>(*this, std::move(socket))->start();
      if (!stopping_) do_accept();
    });
  }

  class Session : public std::enable_shared_from_this<Session> {
   public:
    Session(Impl& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {
      beast::error_code ec;
      auto ep = stream_.socket().remote_endpoint(ec);
      if (!ec) client_ip_ = ep.address().to_string();
    }
    void start() {
      asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read_header, shared_from_this()));
    }

   private:
    void read_header() {
      if (server_.stopping_ && !first_) return close();  // between requests: nothing to lose
      if (first_) {
        ++server_.opening_;
        opening_ = true;
      }
      parser_.emplace();
      parser_->header_limit(static_cast<std::uint32_t>(server_.limits_.header_limit));
      // Beast checks Content-Length against this when the header completes, before we know the
      // route; the route's own limit is applied right after (on_header).
      parser_->body_limit(server_.limits_.max_body_limit);
      body_limit_ = server_.limits_.body_limit;
      stream_.expires_after(first_ ? server_.limits_.read_timeout : server_.limits_.idle_timeout);
      first_ = false;
      bhttp::async_read_header(stream_, buffer_, *parser_,
                               beast::bind_front_handler(&Session::on_header, shared_from_this()));
    }

    void on_header(beast::error_code ec, std::size_t) {
      opened();
      if (ec) return fail_read(ec);
      started_ = std::chrono::steady_clock::now();
      ++server_.in_flight_;
      counted_ = true;
      stream_.expires_after(server_.limits_.read_timeout);
      const auto& msg = parser_->get();
      req_ = Request{};
      req_.method = std::string(msg.method_string());
      for (const auto& f : msg) {
        std::string name(f.name_string());
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        req_.headers[name] = std::string(f.value());
      }
      std::string rid = req_.header("x-request-id");
      req_.request_id = valid_request_id(rid) ? rid : crypto::random_hex(8);
      req_.client_ip = client_ip_;
      keep_alive_ = msg.keep_alive();
      http10_ = msg.version() == 10;
      if (!parse_target(std::string(msg.target()), &req_.path, &req_.query)) {
        Response r = problem_status(400, "Bad request", "The request target is not a valid URL path", req_.request_id);
        return respond(std::move(r), true);
      }
      if (auto early = server_.pipeline_.before_body(req_)) {
        // The body was not read, so the connection cannot be reused unless there is none.
        bool body_pending = !parser_->is_done();
        return respond(std::move(*early), body_pending);
      }
      body_limit_ = std::min(req_.body_limit > 0 ? req_.body_limit : server_.limits_.body_limit,
                             server_.limits_.max_body_limit);
      if (auto length = parser_->content_length(); length && *length > body_limit_) {
        Response r = problem_status(413, "Request too large",
                                    "The body is larger than the limit of " + std::to_string(body_limit_) + " bytes",
                                    req_.request_id);
        return respond(std::move(r), true);
      }
      parser_->body_limit(body_limit_);  // still enforced while a chunked body streams in
      bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_body, shared_from_this()));
    }

    void on_body(beast::error_code ec, std::size_t) {
      if (ec) return fail_read(ec);
      req_.body = std::move(parser_->get().body());
      const std::string& m = req_.method;
      const bool read = m == "GET" || m == "HEAD" || m == "OPTIONS";
      if (read) {
        if (auto res = server_.pipeline_.answer_at_once(req_)) return respond(std::move(*res), false);
      }
      // Reads that query the database, and writes, run off the I/O threads, which keep answering
      // everything that is ready at once (health, static files, kept views) however slow a search
      // is. Searches have threads of their own (ServerLimits::search_threads). A write blocks until
      // its group commit is durable: on their own threads many writes can wait for the same fsync.
      // A write whose route hands it to the database without a thread waiting for it (an intake on
      // SQLite) starts here and is answered on this session's strand: no request thread is woken
      // for it, nor made to wait through a group commit.
      if (!read) {
        auto self = shared_from_this();
        const bool started = server_.pipeline_.handle_async(req_, [self](MakeResponse make) {
          asio::post(self->stream_.get_executor(), [self, make = std::move(make)] {
            self->respond(self->server_.pipeline_.guarded(self->req_, make), false);
          });
        });
        if (started) return;
      }
      auto q = req_.query.find("q");
      const bool search = read && q != req_.query.end() && !q->second.empty();
      asio::post(search ? server_.searchers_ : read ? server_.readers_ : server_.writers_, [self = shared_from_this()] {
        auto res = std::make_shared<Response>(self->server_.pipeline_.handle(self->req_));
        asio::dispatch(self->stream_.get_executor(),
                       [self, res] { self->respond(std::move(*res), false); });
      });
    }

    void fail_read(beast::error_code ec) {
      int status = 0;
      std::string detail;
      if (ec == bhttp::error::body_limit) {
        status = 413;
        detail = "The body is larger than the limit of " + std::to_string(body_limit_) + " bytes";
      } else if (ec == bhttp::error::header_limit) {
        status = 431;
        detail = "The request headers are larger than " + std::to_string(server_.limits_.header_limit) + " bytes";
      } else if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout &&
                 ec != asio::error::operation_aborted && ec != asio::error::connection_reset && ec != asio::error::eof &&
                 ec != bhttp::error::partial_message) {
        status = 400;
        detail = "Malformed HTTP request: " + ec.message();
      }
      if (status == 0) return close();
      if (req_.request_id.empty()) req_.request_id = crypto::random_hex(8);
      respond(problem_status(status, status == 400 ? "Bad request" : "Request too large", detail, req_.request_id),
              true);
    }

    void respond(Response res, bool must_close) {
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
      server_.pipeline_.finish(req_, res, seconds);
      auto msg = std::make_shared<bhttp::response<bhttp::string_body>>();
      // An HTTP/1.0 client keeps a connection only when the answer says so (Connection: keep-alive,
      // which Beast writes for a 1.0 message); answered as 1.1 without it, the client waited for a
      // close that never came (ab -k hung until its timeout).
      msg->version(http10_ ? 10 : 11);
      msg->result(static_cast<unsigned>(res.status));
      msg->set(bhttp::field::server, "aftersales");
      if (!res.content_type.empty()) msg->set(bhttp::field::content_type, res.content_type);
      for (const auto& [k, v] : res.headers) msg->insert(k, v);
      bool head = req_.method == "HEAD";
      msg->body() = std::move(res.body);
      msg->prepare_payload();
      if (head) msg->body().clear();
      close_after_ = must_close || !keep_alive_ || server_.stopping_;
      msg->keep_alive(!close_after_);
      response_ = msg;
      stream_.expires_after(server_.limits_.read_timeout);
      if (head) {
        auto sr = std::make_shared<bhttp::response_serializer<bhttp::string_body>>(*msg);
        sr->split(true);
        bhttp::async_write_header(stream_, *sr, [self = shared_from_this(), sr](beast::error_code ec, std::size_t n) {
          self->on_write(ec, n);
        });
        return;
      }
      bhttp::async_write(stream_, *msg, beast::bind_front_handler(&Session::on_write, shared_from_this()));
    }

    void on_write(beast::error_code ec, std::size_t) {
      if (counted_) {
        --server_.in_flight_;
        counted_ = false;
      }
      response_.reset();
      if (ec || close_after_) return close();
      read_header();
    }

    void opened() {
      if (opening_) {
        --server_.opening_;
        opening_ = false;
      }
    }

    void close() {
      opened();
      if (counted_) {
        --server_.in_flight_;
        counted_ = false;
      }
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      if (ec) {
        stream_.socket().close(ec);
        return;
      }
      // Lingering close: a client may still be sending a body we refused (413); closing now
      // would reset the connection and destroy the response it has not read yet. Discard what
      // arrives until it stops sending, for at most two seconds.
      stream_.expires_after(std::chrono::seconds(2));
      linger();
    }

    void linger() {
      stream_.async_read_some(asio::buffer(discard_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec) {
          beast::error_code ignored;
          self->stream_.socket().close(ignored);
          return;
        }
        self->linger();
      });
    }

    Impl& server_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    std::shared_ptr<void> response_;
    Request req_;
    std::string client_ip_;
    bool keep_alive_ = true;
    bool http10_ = false;  // the request being answered is HTTP/1.0
    bool close_after_ = false;
    bool first_ = true;
    bool opening_ = false;  // counted in server_.opening_
    bool counted_ = false;
    std::size_t body_limit_ = 0;
    std::array<char, 8192> discard_{};
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  };

  Pipeline& pipeline_;
  ServerLimits limits_;
  int nice_;  // the server's threads, below the writer's (ServerLimits::nice)
  asio::io_context ioc_;
  asio::thread_pool readers_;
  asio::thread_pool searchers_;
  asio::thread_pool writers_;
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> in_flight_{0};
  std::atomic<int> opening_{0};  // connections whose first request is still being read
  std::chrono::steady_clock::time_point deadline_;
  std::chrono::steady_clock::time_point opening_deadline_;
};

Server::Server(Pipeline& pipeline, const std::string& host, unsigned short port, ServerLimits limits)
    : impl_(std::make_unique<Impl>(pipeline, host, port, limits)) {}
Server::~Server() = default;
void Server::run() { impl_->run(); }
void Server::stop() { impl_->begin_shutdown(); }
unsigned short Server::port() const { return impl_->acceptor_.local_endpoint().port(); }
int Server::in_flight() const { return impl_->in_flight_.load(); }

}  // namespace aftersales::http
