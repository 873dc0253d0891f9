//! What a connection does with each RTMP session event: accept or refuse connects and publishes,
//! open the FLV stream of an accepted publish, and forward media to it as FLV tags.

use bytes::Bytes;
use rml_rtmp::sessions::{ServerSession, ServerSessionEvent, ServerSessionResult};
use tracing::{debug, info, warn};
use vigil_base::{Error, ErrorKind, err};

use super::{Active, Connection, Stop};
use crate::flv::{self, FLV_HEADER, TagType};
use crate::reader::flv_channel;
use crate::server::KeyLease;
use crate::{APP_NAME, Publish, PublishRequest, mask_stream_key};

impl Connection<'_> {
    pub(super) async fn on_event(
        &mut self,
        session: &mut ServerSession,
        event: ServerSessionEvent,
    ) -> Result<Vec<ServerSessionResult>, Stop> {
        if self.stop_after_writes.is_some() {
            return Ok(Vec::new());
        }
        let session_err =
            |what: &'static str| move |e| Error::new(ErrorKind::Internal, what).with_source(e);
        match event {
            ServerSessionEvent::ConnectionRequested {
                request_id,
                app_name,
            } => {
                if app_name == APP_NAME {
                    return Ok(session
                        .accept_request(request_id)
                        .map_err(session_err("accepting RTMP connect"))?);
                }
                let shown: String = app_name.chars().take(64).collect();
                warn!(peer = %self.peer, app = %shown, "RTMP connect refused: unknown application");
                self.stop_after_writes = Some(Stop::Refused);
                Ok(session
                    .reject_request(
                        request_id,
                        "NetConnection.Connect.Rejected",
                        "unknown application",
                    )
                    .map_err(session_err("refusing RTMP connect"))?)
            }
            ServerSessionEvent::PublishStreamRequested {
                request_id,
                app_name,
                stream_key,
                ..
            } => {
                let key_masked = mask_stream_key(&stream_key);
                match self.decide(app_name, stream_key).await {
                    Ok((req, lease)) => {
                        let out = session
                            .accept_request(request_id)
                            .map_err(session_err("accepting RTMP publish"))?;
                        self.start(req, lease, key_masked).await?;
                        Ok(out)
                    }
                    Err(reason) => {
                        warn!(peer = %self.peer, key = %key_masked, "RTMP publish refused: {reason}");
                        self.stop_after_writes = Some(Stop::Refused);
                        Ok(session
                            .reject_request(
                                request_id,
                                "NetStream.Publish.BadName",
                                "publish refused",
                            )
                            .map_err(session_err("refusing RTMP publish"))?)
                    }
                }
            }
            ServerSessionEvent::PublishStreamFinished { .. } => {
                if let Some(active) = self.active.take() {
                    info!(peer = %self.peer, key = %active.key_masked, tags = active.tags, "RTMP publish finished");
                }
                self.stop_after_writes = Some(Stop::Unpublished);
                Ok(Vec::new())
            }
            ServerSessionEvent::StreamMetadataChanged { metadata, .. } => {
                // FFmpeg reads onMetaData only at timestamp 0 (a later-timestamped one becomes a
                // data stream), so it goes out only ahead of the media.
                if self.active.as_ref().is_some_and(|a| a.tags == 0) {
                    self.send_tag(TagType::Script, 0, &flv::metadata_body(&metadata))
                        .await?;
                }
                Ok(Vec::new())
            }
            ServerSessionEvent::VideoDataReceived {
                data, timestamp, ..
            } => {
                self.send_tag(TagType::Video, timestamp.value, &data)
                    .await?;
                Ok(Vec::new())
            }
            ServerSessionEvent::AudioDataReceived {
                data, timestamp, ..
            } => {
                self.send_tag(TagType::Audio, timestamp.value, &data)
                    .await?;
                Ok(Vec::new())
            }
            ServerSessionEvent::PlayStreamRequested { request_id, .. } => {
                warn!(peer = %self.peer, "RTMP play refused: this server only takes publishes");
                self.stop_after_writes = Some(Stop::Refused);
                Ok(session
                    .reject_request(
                        request_id,
                        "NetStream.Play.Failed",
                        "playback is not supported",
                    )
                    .map_err(session_err("refusing RTMP play"))?)
            }
            other => {
                debug!(peer = %self.peer, "RTMP event ignored: {}", event_name(&other));
                Ok(Vec::new())
            }
        }
    }

    /// Decides on a publish: only app `live`, one publish per connection, a non-empty key the
    /// handler authorizes, and not a key that is publishing already.
    async fn decide(
        &self,
        app: String,
        stream_key: String,
    ) -> Result<(PublishRequest, KeyLease), String> {
        if self.active.is_some() {
            return Err("this connection is already publishing".into());
        }
        if app != APP_NAME {
            return Err("unknown application".into());
        }
        if stream_key.is_empty() {
            return Err("empty stream key".into());
        }
        let req = PublishRequest {
            app,
            stream_key,
            peer: self.peer,
        };
        let handler = self.ctx.handler.clone();
        let asked = req.clone();
        let verdict = tokio::time::timeout(
            self.ctx.options.stall_timeout,
            tokio::task::spawn_blocking(move || handler.authorize(&asked)),
        )
        .await;
        match verdict {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(reason))) => return Err(reason),
            Ok(Err(e)) => return Err(format!("authorization failed: {e}")),
            Err(_) => return Err("authorization timed out".into()),
        }
        let lease = self
            .ctx
            .publishing
            .claim(&req.stream_key)
            .ok_or_else(|| "stream key is already publishing".to_string())?;
        Ok((req, lease))
    }

    /// Opens the FLV stream of an accepted publish and hands its reader to the handler.
    async fn start(
        &mut self,
        req: PublishRequest,
        lease: KeyLease,
        key_masked: String,
    ) -> Result<(), Stop> {
        let (sender, reader) = flv_channel(self.ctx.options.queue_tags);
        // The queue is empty, so this does not wait.
        sender
            .send(Bytes::from_static(&FLV_HEADER))
            .await
            .map_err(|_| Stop::ReaderGone)?;
        info!(peer = %self.peer, key = %key_masked, "RTMP publish started");
        self.active = Some(Active {
            key_masked,
            sender,
            tags: 0,
            _lease: lease,
        });
        let publish = Publish {
            app: req.app,
            stream_key: req.stream_key,
            peer: req.peer,
            reader,
        };
        let handler = self.ctx.handler.clone();
        let peer = self.peer;
        // Not awaited: the handler may keep its thread (e.g. demux right there), and the media
        // must keep flowing meanwhile. If it panics, the reader is dropped and the connection ends.
        let task = tokio::task::spawn_blocking(move || handler.on_publish(publish));
        tokio::spawn(async move {
            if let Err(e) = task.await {
                warn!(%peer, "RTMP publish handler failed: {e}");
            }
        });
        Ok(())
    }

    async fn send_tag(
        &mut self,
        tag_type: TagType,
        timestamp_ms: u32,
        data: &[u8],
    ) -> Result<(), Stop> {
        let Some(active) = self.active.as_mut() else {
            return Ok(()); // media outside a publish: nobody to give it to
        };
        let Some(tag) = flv::encode_tag(tag_type, timestamp_ms, data) else {
            return Err(Stop::Failed(err!(
                InvalidArgument,
                "RTMP message of {} bytes is too large for FLV",
                data.len()
            )));
        };
        tokio::select! {
            _ = self.ctx.shutdown.clone().wait() => Err(Stop::Shutdown),
            sent = active.sender.send(tag) => {
                sent.map_err(|_| Stop::ReaderGone)?;
                active.tags += 1;
                Ok(())
            }
        }
    }
}

fn event_name(event: &ServerSessionEvent) -> &'static str {
    match event {
        ServerSessionEvent::ClientChunkSizeChanged { .. } => "chunk size changed",
        ServerSessionEvent::ReleaseStreamRequested { .. } => "releaseStream",
        ServerSessionEvent::UnhandleableAmf0Command { .. } => "unhandled AMF0 command",
        ServerSessionEvent::PlayStreamFinished { .. } => "play finished",
        ServerSessionEvent::AcknowledgementReceived { .. } => "acknowledgement",
        ServerSessionEvent::PingResponseReceived { .. } => "ping response",
        _ => "other",
    }
}
