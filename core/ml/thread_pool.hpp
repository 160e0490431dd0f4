#pragma once
// A small fork-join thread pool for the numeric core. Work is cut into tasks whose count and
// boundaries depend only on the data, never on the number of threads, so results are
// bit-identical with 1 and N threads. The calling thread runs tasks too.
//
// With LATENTLAB_THREADS == 0 (the single-thread web build) no thread is ever started and
// parallel_for runs every task inline on the caller. A parallel_for issued from inside a task,
// or while another thread is using the pool, also runs inline, so nesting cannot deadlock.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ll {

class ThreadPool {
 public:
  // threads: total threads working on a parallel_for, the caller included (1 = inline).
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threads() const { return int(workers_.size()) + 1; }
  // Calls task(i) once for every i in [0, tasks), in any order and on any pool thread;
  // returns when all are done.
  void parallel_for(int tasks, const std::function<void(int)>& task);

 private:
  void worker_loop();
  void run_tasks(const std::function<void(int)>& task, int tasks);

  std::vector<std::thread> workers_;
  std::mutex run_mutex_;  // one parallel_for at a time; others run inline
  std::mutex mutex_;
  std::condition_variable wake_, finished_;
  const std::function<void(int)>* job_ = nullptr;
  int job_tasks_ = 0;
  long generation_ = 0;
  int active_workers_ = 0;
  bool stopping_ = false;
  std::atomic<int> next_task_{0}, done_tasks_{0};
};

// The pool shared by the nn layers (GEMM-heavy layers and data-parallel batches). Default:
// min(hardware threads, 4) natively with threads, 1 in WASM (its pthread pool is shared with
// the lessons' workers) and without threads.
ThreadPool& compute_pool();
// Replaces the shared pool; call while no layer is running. n < 1 means 1.
void set_compute_threads(int n);
int compute_threads();

}  // namespace ll
