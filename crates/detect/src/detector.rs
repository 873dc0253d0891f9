//! A loaded model ready to run: [`Detector::load`] checks the model's input against its config
//! and runs it once on a blank frame (so output mismatches show at load, not on the first
//! person), and [`Detector::detect`] goes frame → tensor → ONNX Runtime → boxes → per-class NMS
//! → boxes in the frame's pixels with labels.

use std::borrow::Cow;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ort::session::Session;
use ort::value::{TensorElementType, TensorRef, ValueRef};
use serde::Serialize;
use vigil_base::{Error, Result, err};

use crate::config::{DType, Layout, ModelConfig};
use crate::decode::{DecodeParams, OutTensor, decode};
use crate::geometry::{BBox, nms_per_class};
use crate::preprocess::{FrameRef, Preprocessor, TensorData};
use crate::runtime::Runtime;

/// One detected object.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Detection {
    pub label: String,
    pub class_id: u32,
    pub score: f32,
    /// In pixels of the frame given to [`Detector::detect`].
    pub bbox: BBox,
}

/// Where the time of one [`Detector::detect_timed`] call went.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Timings {
    /// Resize and tensor fill.
    pub preprocess: Duration,
    /// ONNX Runtime's run.
    pub inference: Duration,
    /// Decoding, NMS, mapping back.
    pub postprocess: Duration,
}

struct State {
    session: Session,
    pre: Preprocessor,
    tensor: TensorData,
}

/// A model loaded into ONNX Runtime. `detect` takes `&self`: calls from several threads are
/// serialised on the one session (run several detectors for parallel inference).
pub struct Detector {
    config: ModelConfig,
    input_name: String,
    input_shape: [usize; 4],
    state: Mutex<State>,
    _runtime: Runtime,
}

impl std::fmt::Debug for Detector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Detector")
            .field("name", &self.config.name)
            .field("model", &self.config.model_path)
            .finish_non_exhaustive()
    }
}

fn model_error(config: &ModelConfig, what: impl std::fmt::Display) -> Error {
    err!(
        Unavailable,
        code = ModelUnavailable,
        "model {:?} ({}): {what}",
        config.name,
        config.model_path.display()
    )
}

impl Detector {
    /// Loads the model with `threads` intra-op threads (0 means 1). Errors: the config's own
    /// (`MODEL_CONFIG_INVALID`), or `MODEL_UNAVAILABLE` for a missing or unreadable model, or one
    /// whose input or outputs do not match the config.
    pub fn load(config: &ModelConfig, runtime: &Runtime, threads: usize) -> Result<Detector> {
        config.validate()?;
        if !config.model_path.is_file() {
            return Err(model_error(config, "the model file is missing"));
        }
        let fail = |e: &dyn std::fmt::Display| model_error(config, format!("cannot load: {e}"));
        let session = Session::builder(runtime.environment())
            .map_err(|e| fail(&e))?
            .with_intra_threads(threads.max(1))
            .map_err(|e| fail(&e))?
            .with_inter_threads(1)
            .map_err(|e| fail(&e))?
            // Spinning threads would burn the CPU that recording and decoding need.
            .with_intra_op_spinning(false)
            .map_err(|e| fail(&e))?
            .commit_from_file(&config.model_path)
            .map_err(|e| fail(&e))?;

        let input = match &config.input.name {
            Some(name) => session
                .inputs()
                .iter()
                .find(|i| i.name() == name)
                .ok_or_else(|| {
                    let names: Vec<&str> = session.inputs().iter().map(|i| i.name()).collect();
                    model_error(
                        config,
                        format!("no input named {name:?} (inputs: {names:?})"),
                    )
                })?,
            None => session
                .inputs()
                .first()
                .ok_or_else(|| model_error(config, "the model has no inputs"))?,
        };
        let want_type = match config.input.dtype {
            DType::F32 => TensorElementType::Float32,
            DType::U8 => TensorElementType::Uint8,
        };
        if input.dtype().tensor_type() != Some(want_type) {
            return Err(model_error(
                config,
                format!(
                    "input {:?} is {:?}, the config says {want_type:?}",
                    input.name(),
                    input.dtype()
                ),
            ));
        }
        let pre = Preprocessor::new(&config.input);
        if let Some(shape) = input.dtype().tensor_shape() {
            let want = pre.shape();
            let fits = shape.len() == 4
                && shape
                    .iter()
                    .zip(want)
                    .all(|(&d, w)| d < 0 || d as usize == w);
            if !fits {
                let layout = match config.input.layout {
                    Layout::Nchw => "NCHW",
                    Layout::Nhwc => "NHWC",
                };
                return Err(model_error(
                    config,
                    format!(
                        "input {:?} has shape {shape:?}, the config says {layout} {want:?}",
                        input.name()
                    ),
                ));
            }
        }
        let input_name = input.name().to_string();
        let detector = Detector {
            config: config.clone(),
            input_name,
            input_shape: pre.shape(),
            state: Mutex::new(State {
                session,
                pre,
                tensor: TensorData::F32(Vec::new()),
            }),
            _runtime: runtime.clone(),
        };
        // Warm-up and output check: a mid-grey frame of the input size.
        let (w, h) = (config.input.width, config.input.height);
        let grey = vec![128u8; w as usize * h as usize * 3];
        detector.detect_timed(FrameRef::new(w, h, &grey)?, config.score_threshold)?;
        Ok(detector)
    }

    pub fn config(&self) -> &ModelConfig {
        &self.config
    }

    /// Detections above the config's score threshold, after per-class NMS, best first.
    pub fn detect<'a>(&self, frame: impl Into<FrameRef<'a>>) -> Result<Vec<Detection>> {
        Ok(self
            .detect_timed(frame.into(), self.config.score_threshold)?
            .0)
    }

    /// [`Detector::detect`] with another score threshold, and where the time went.
    pub fn detect_timed(
        &self,
        frame: FrameRef<'_>,
        score_threshold: f32,
    ) -> Result<(Vec<Detection>, Timings)> {
        let mut timings = Timings::default();
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let State {
            session,
            pre,
            tensor,
        } = &mut *state;

        let t0 = Instant::now();
        let transform = pre.run(frame, tensor)?;
        let shape = self.input_shape;
        let input = match tensor {
            TensorData::F32(data) => {
                TensorRef::from_array_view((shape, &data[..])).map(|t| t.into_dyn())
            }
            TensorData::U8(data) => {
                TensorRef::from_array_view((shape, &data[..])).map(|t| t.into_dyn())
            }
        }
        .map_err(|e| {
            err!(
                Internal,
                code = DetectionFailed,
                "building the input tensor: {e}"
            )
        })?;
        timings.preprocess = t0.elapsed();

        let t1 = Instant::now();
        let outputs = session
            .run(ort::inputs![self.input_name.as_str() => input])
            .map_err(|e| {
                err!(
                    Internal,
                    code = DetectionFailed,
                    "inference with {:?} failed: {e}",
                    self.config.name
                )
            })?;
        timings.inference = t1.elapsed();

        let t2 = Instant::now();
        let values: Vec<(&str, ValueRef<'_>)> = outputs.iter().collect();
        let tensors: Vec<OutTensor<'_>> = values
            .iter()
            .filter_map(|(name, v)| as_f32(name, v))
            .collect();
        let params = DecodeParams {
            input_width: self.config.input.width,
            input_height: self.config.input.height,
            num_classes: self.config.labels.len(),
            score_threshold,
        };
        let raw = decode(&self.config.output, &tensors, &params)
            .map_err(|e| model_error(&self.config, e.message()))?;
        let kept = nms_per_class(raw, self.config.nms_iou, self.config.max_detections);
        let detections = kept
            .into_iter()
            .filter_map(|s| {
                let bbox = transform.to_frame(&s.bbox);
                (bbox.area() > 0.0).then(|| Detection {
                    label: self.config.label(s.class_id),
                    class_id: s.class_id,
                    score: s.score,
                    bbox,
                })
            })
            .collect();
        timings.postprocess = t2.elapsed();
        Ok((detections, timings))
    }
}

/// An output as `f32`, borrowed when it already is; other numeric types are converted.
fn as_f32<'v>(name: &'v str, v: &'v ValueRef<'_>) -> Option<OutTensor<'v>> {
    let name = Cow::Borrowed(name);
    let shape_of = |s: &[i64]| s.iter().map(|&d| d.max(0) as usize).collect::<Vec<_>>();
    if let Ok((shape, data)) = v.try_extract_tensor::<f32>() {
        return Some(OutTensor {
            name,
            shape: shape_of(shape),
            data: Cow::Borrowed(data),
        });
    }
    macro_rules! convert {
        ($($t:ty),*) => {$(
            if let Ok((shape, data)) = v.try_extract_tensor::<$t>() {
                return Some(OutTensor {
                    name,
                    shape: shape_of(shape),
                    data: Cow::Owned(data.iter().map(|&x| x as f32).collect()),
                });
            }
        )*};
    }
    convert!(i64, i32, f64, u8);
    None
}
