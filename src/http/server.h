// The HTTP/1.1 server on Boost.Beast: accepts connections, reads requests within named
// limits, runs them through the Pipeline and shuts down gracefully on SIGINT/SIGTERM.
#pragma once
#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "http/pipeline.h"

namespace aftersales::http {

struct ServerLimits {
  std::size_t header_limit = 16 * 1024;       // bytes of request line + headers
  std::size_t body_limit = 2 * 1024 * 1024;   // bytes of body (JSON API), unless the route says more
  std::size_t max_body_limit = 256ull << 20;  // the largest any route may allow (uploads)
  std::chrono::seconds read_timeout{30};      // to receive one whole request
  std::chrono::seconds idle_timeout{75};      // keep-alive connection with no request
  std::chrono::seconds shutdown_grace{30};    // in-flight requests get this long to finish
  int threads = 4;                            // I/O threads: parse, answer what is ready at once, send
  // Threads that read the database for GETs (anything not ready at once: see
  // Pipeline::answer_at_once), so that a slow search never holds up an I/O thread.
  int read_threads = 8;
  // Threads for full-text searches (GETs with a non-empty q): a search's cost depends on the
  // data and can be seconds on PostgreSQL for a text common long ago, so searches wait for each
  // other here and never take every reader (or every database connection) from point reads.
  int search_threads = 2;
  // Threads that run writes (POST/PUT/PATCH/DELETE). A write waits for its group commit, so
  // the more writes can wait at once, the more share each fsync; the threads mostly sleep.
  int write_threads = 64;
  // How much lower than the process's other threads the server's own threads run (nice, 0–19).
  // SQLite's single writer thread (store/sqlite/group_commit.h) runs every write transaction
  // in turn: while it waits behind the threads that parse, validate and answer, every write in
  // the process waits. 0 leaves every thread equal.
  int nice = 10;
};

class Server {
 public:
  // `pipeline` must outlive the server. Throws std::runtime_error when it cannot listen.
  Server(Pipeline& pipeline, const std::string& host, unsigned short port, ServerLimits limits);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Serves until SIGINT/SIGTERM or stop(); returns after in-flight requests have finished.
  void run();
  void stop();
  unsigned short port() const;
  int in_flight() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace aftersales::http
