#include "ml/thread_pool.hpp"

#include <algorithm>
#include <memory>

namespace ll {

namespace {
thread_local bool inside_pool_task = false;
}

ThreadPool::ThreadPool(int threads) {
#if LATENTLAB_THREADS
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { worker_loop(); });
#else
  (void)threads;
#endif
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void ThreadPool::run_tasks(const std::function<void(int)>& task, int tasks) {
  const bool was_inside = inside_pool_task;
  inside_pool_task = true;
  for (int i = next_task_.fetch_add(1); i < tasks; i = next_task_.fetch_add(1)) {
    task(i);
    if (done_tasks_.fetch_add(1) + 1 == tasks) {
      std::lock_guard<std::mutex> lock(mutex_);
      finished_.notify_all();
    }
  }
  inside_pool_task = was_inside;
}

void ThreadPool::worker_loop() {
  long seen_generation = 0;
  for (;;) {
    const std::function<void(int)>* job = nullptr;
    int tasks = 0;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || (job_ && generation_ != seen_generation); });
      if (stopping_) return;
      seen_generation = generation_;
      job = job_;
      tasks = job_tasks_;
      ++active_workers_;  // the caller waits for this worker before job_ can go away
    }
    run_tasks(*job, tasks);
    std::lock_guard<std::mutex> lock(mutex_);  // notify under the lock: the pool may be destroyed right after
    --active_workers_;
    finished_.notify_all();
  }
}

void ThreadPool::parallel_for(int tasks, const std::function<void(int)>& task) {
  if (tasks <= 0) return;
  std::unique_lock<std::mutex> exclusive(run_mutex_, std::defer_lock);
  if (workers_.empty() || tasks == 1 || inside_pool_task || !exclusive.try_lock()) {
    for (int i = 0; i < tasks; ++i) task(i);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &task;
    job_tasks_ = tasks;
    next_task_ = 0;
    done_tasks_ = 0;
    ++generation_;
  }
  wake_.notify_all();
  run_tasks(task, tasks);
  std::unique_lock<std::mutex> lock(mutex_);
  finished_.wait(lock, [&] { return done_tasks_.load() == tasks && active_workers_ == 0; });
  job_ = nullptr;
}

namespace {

int default_threads() {
#if LATENTLAB_THREADS && !defined(__EMSCRIPTEN__)
  return std::clamp(int(std::thread::hardware_concurrency()), 1, 4);
#else
  return 1;
#endif
}

std::unique_ptr<ThreadPool>& shared_pool() {
  static std::unique_ptr<ThreadPool> pool;
  return pool;
}

std::mutex& shared_pool_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

ThreadPool& compute_pool() {
  std::lock_guard<std::mutex> lock(shared_pool_mutex());
  std::unique_ptr<ThreadPool>& pool = shared_pool();
  if (!pool) pool = std::make_unique<ThreadPool>(default_threads());
  return *pool;
}

void set_compute_threads(int n) {
  std::lock_guard<std::mutex> lock(shared_pool_mutex());
  std::unique_ptr<ThreadPool>& pool = shared_pool();
  pool.reset();
  pool = std::make_unique<ThreadPool>(std::max(1, n));
}

int compute_threads() { return compute_pool().threads(); }

}  // namespace ll
