//! Go's graceful shutdown, `defer engine.stop()`: `cargo run --example shutdown`.
//!
//! ```go
//! func serve(requests <-chan string) error {
//!     engine := startEngine()
//!     defer engine.stop()          // drains the workers on every exit
//!     for r := range requests {
//!         if r == "bad" { return fmt.Errorf("bad request") }
//!         engine.submit(r)
//!     }
//!     return nil
//! }
//! ```

use godefer::{defer, with_defer};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

/// A pool of worker threads that process jobs until it is stopped. Its
/// methods take `&self`, so a deferred `engine.stop()` and the body's
/// `engine.submit(..)` can share it (a deferred `&mut self` call would hold the
/// engine until the function returns).
#[derive(Debug)]
pub struct Engine {
    jobs: Mutex<Option<Sender<String>>>,
    workers: Mutex<Vec<JoinHandle<()>>>,
    pub done: Arc<Mutex<Vec<String>>>,
}

impl Engine {
    pub fn start(workers: usize) -> Engine {
        let (jobs, queue) = channel::<String>();
        let queue = Arc::new(Mutex::new(queue));
        let done = Arc::new(Mutex::new(Vec::new()));
        let workers = (0..workers)
            .map(|_| {
                let (queue, done) = (Arc::clone(&queue), Arc::clone(&done));
                thread::spawn(move || {
                    loop {
                        let job = queue.lock().unwrap().recv();
                        match job {
                            Ok(job) => done.lock().unwrap().push(job),
                            Err(_) => return, // the sender is gone: shutting down
                        }
                    }
                })
            })
            .collect();
        Engine {
            jobs: Mutex::new(Some(jobs)),
            workers: Mutex::new(workers),
            done,
        }
    }

    pub fn submit(&self, job: &str) {
        let jobs = self.jobs.lock().unwrap();
        jobs.as_ref()
            .expect("running")
            .send(job.to_string())
            .unwrap();
    }

    /// Stops taking jobs and waits until the workers have finished the queue.
    pub fn stop(&self) {
        drop(self.jobs.lock().unwrap().take());
        for worker in self.workers.lock().unwrap().drain(..) {
            worker.join().unwrap();
        }
        println!(
            "engine stopped after {} jobs",
            self.done.lock().unwrap().len()
        );
    }

    pub fn is_stopped(&self) -> bool {
        self.jobs.lock().unwrap().is_none() && self.workers.lock().unwrap().is_empty()
    }
}

/// Serves requests until the channel closes or a bad request arrives; the
/// engine is stopped, and its queue drained, on every exit.
#[with_defer]
pub fn serve(requests: Receiver<&str>, engine: &Engine) -> Result<usize, String> {
    defer!(engine.stop());
    let mut served = 0;
    for request in requests {
        if request == "bad" {
            return Err(format!("bad request after {served}"));
        }
        engine.submit(request);
        served += 1;
    }
    Ok(served)
}

pub fn main() {
    for (batch, expected) in [
        (vec!["a", "b", "c"], Ok(3)),
        (vec!["d", "bad", "e"], Err(1)),
    ] {
        let (tx, rx) = channel();
        for request in &batch {
            tx.send(*request).unwrap();
        }
        drop(tx);
        let engine = Engine::start(2);
        let result = serve(rx, &engine);
        let done = engine.done.lock().unwrap().len();
        println!("{result:?}, {done} jobs done");
        // `stop` ran before `serve` returned: every submitted job is done.
        assert!(engine.is_stopped());
        assert_eq!(result.map_err(|_| done), expected);
        assert_eq!(done, expected.unwrap_or_else(|n| n));
    }
}
