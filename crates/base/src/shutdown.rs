//! A cloneable shutdown signal: one `Shutdown` trigger, any number of `ShutdownWaiter`s that resolve
//! once it fires. Servers and background tasks select on a waiter to finish their work cleanly.

use tokio::sync::watch;

#[derive(Clone)]
pub struct Shutdown(watch::Sender<bool>);

#[derive(Clone)]
pub struct ShutdownWaiter(watch::Receiver<bool>);

impl Shutdown {
    pub fn new() -> (Shutdown, ShutdownWaiter) {
        let (tx, rx) = watch::channel(false);
        (Shutdown(tx), ShutdownWaiter(rx))
    }
    pub fn trigger(&self) {
        let _ = self.0.send(true);
    }
    pub fn waiter(&self) -> ShutdownWaiter {
        ShutdownWaiter(self.0.subscribe())
    }
}

impl ShutdownWaiter {
    /// Resolves when shutdown has been triggered (or the trigger was dropped).
    pub async fn wait(mut self) {
        let _ = self.0.wait_for(|v| *v).await;
    }
    pub fn is_triggered(&self) -> bool {
        *self.0.borrow()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waiters_wake_on_trigger() {
        let (s, w) = Shutdown::new();
        let w2 = s.waiter();
        assert!(!w.is_triggered());
        let h = tokio::spawn(w.wait());
        s.trigger();
        h.await.unwrap();
        assert!(w2.is_triggered());
    }
}
