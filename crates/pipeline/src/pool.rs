//! The inference pool: a fixed number of threads, each with its own model session, taking frames
//! from every camera off one bounded queue — the global bound on inference threads. Cameras bound
//! their own frames in flight, so one busy camera cannot starve the others for long, and a full
//! queue refuses new frames at once instead of making anyone wait.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use image::RgbImage;
use vigil_base::{Result, err};
use vigil_detect::{Detection, Detector, ModelConfig, Runtime};

use crate::PipelineConfig;

/// One frame to run the model on.
pub(crate) struct Job {
    pub frame: RgbImage,
    /// Wall time of the frame (its packet's arrival), ms.
    pub at_ms: i64,
    /// Sent only because objects are tracked (no motion): a look at whether they are still there.
    pub idle: bool,
    pub reply: tokio::sync::mpsc::Sender<JobResult>,
}

/// The model's answer, with the frame back (for the snapshot).
pub(crate) struct JobResult {
    pub frame: RgbImage,
    pub at_ms: i64,
    pub idle: bool,
    pub detections: Result<Vec<Detection>>,
}

/// The inference threads with their model sessions, shared by every camera.
pub struct Pool {
    tx: Mutex<Option<SyncSender<Job>>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
    model_name: String,
    labels: Vec<String>,
    library: PathBuf,
    runs: Arc<AtomicU64>,
    run_us_total: Arc<AtomicU64>,
}

impl Pool {
    /// Load one session per worker (all before any thread starts, so a bad model fails here).
    pub(crate) fn start(
        settings: &PipelineConfig,
        runtime: &Runtime,
        config: &ModelConfig,
    ) -> Result<Pool> {
        let workers = settings.workers.max(1);
        let mut detectors = Vec::with_capacity(workers);
        for _ in 0..workers {
            detectors.push(Detector::load(
                config,
                runtime,
                settings.threads_per_worker,
            )?);
        }
        // Room for every camera's allowance of a handful of cameras; beyond it frames are refused.
        let (tx, rx) = sync_channel::<Job>(settings.max_pending_per_camera.max(1) * 8);
        let rx = Arc::new(Mutex::new(rx));
        let runs = Arc::new(AtomicU64::new(0));
        let run_us_total = Arc::new(AtomicU64::new(0));
        let mut threads = Vec::with_capacity(workers);
        for (i, detector) in detectors.into_iter().enumerate() {
            let (rx, runs, total) = (rx.clone(), runs.clone(), run_us_total.clone());
            let h = std::thread::Builder::new()
                .name(format!("infer-{i}"))
                .spawn(move || work(detector, rx, runs, total))
                .map_err(|e| err!(Internal, "starting an inference thread: {e}"))?;
            threads.push(h);
        }
        Ok(Pool {
            tx: Mutex::new(Some(tx)),
            threads: Mutex::new(threads),
            model_name: config.name.clone(),
            labels: config.labels.clone(),
            library: runtime.library().path.clone(),
            runs,
            run_us_total,
        })
    }

    pub fn model_name(&self) -> &str {
        &self.model_name
    }
    pub fn labels(&self) -> &[String] {
        &self.labels
    }
    pub fn library(&self) -> &Path {
        &self.library
    }

    /// Runs so far and their mean duration in ms.
    pub fn inference_stats(&self) -> (u64, f64) {
        let n = self.runs.load(Ordering::Relaxed);
        let us = self.run_us_total.load(Ordering::Relaxed);
        (
            n,
            if n == 0 {
                0.0
            } else {
                us as f64 / n as f64 / 1000.0
            },
        )
    }

    /// Queue a frame; gives it back if the pool is full or stopped.
    pub(crate) fn submit(&self, job: Job) -> std::result::Result<(), Job> {
        let Ok(guard) = self.tx.lock() else {
            return Err(job);
        };
        match guard.as_ref() {
            Some(tx) => tx.try_send(job).map_err(|e| match e {
                TrySendError::Full(j) | TrySendError::Disconnected(j) => j,
            }),
            None => Err(job),
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        if let Ok(mut tx) = self.tx.lock() {
            tx.take();
        }
        if let Ok(mut threads) = self.threads.lock() {
            for h in threads.drain(..) {
                let _ = h.join();
            }
        }
    }
}

fn work(
    detector: Detector,
    rx: Arc<Mutex<Receiver<Job>>>,
    runs: Arc<AtomicU64>,
    total_us: Arc<AtomicU64>,
) {
    loop {
        // Hold the lock only to take one job.
        let job = match rx.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        let t = Instant::now();
        let detections = detector.detect(&job.frame);
        let ran = t.elapsed();
        runs.fetch_add(1, Ordering::Relaxed);
        total_us.fetch_add(ran.as_micros() as u64, Ordering::Relaxed);
        // The camera may have stopped meanwhile: then nobody wants the answer.
        let _ = job.reply.try_send(JobResult {
            frame: job.frame,
            at_ms: job.at_ms,
            idle: job.idle,
            detections,
        });
    }
}
