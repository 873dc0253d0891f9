//! Model configs: everything that differs between detectors — input tensor layout, size, type,
//! colour order, normalisation, resize mode, output format, labels, thresholds — read from a TOML
//! file beside the model, so a user-supplied model needs a config, not a code change.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use vigil_base::{Error, ErrorKind, Result, ResultExt, err};

use crate::labels;

/// Memory order of the input tensor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// `[1, 3, H, W]`: planes.
    Nchw,
    /// `[1, H, W, 3]`: interleaved pixels.
    Nhwc,
}

/// Element type of the input tensor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DType {
    F32,
    U8,
}

/// Channel order the model expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorOrder {
    Rgb,
    Bgr,
}

/// How a frame is fitted into the model's input size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResizeMode {
    /// Scale each axis independently to fill the input (aspect ratio not kept).
    Stretch,
    /// Scale uniformly to fit, centre, pad the rest with `pad_value` (YOLO style).
    Letterbox,
}

/// The model's input.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputSpec {
    /// Input tensor name; the model's first input if absent.
    #[serde(default)]
    pub name: Option<String>,
    pub layout: Layout,
    pub width: u32,
    pub height: u32,
    pub dtype: DType,
    pub color: ColorOrder,
    pub resize: ResizeMode,
    /// Per-channel mean subtracted from 0..255 pixel values, in the model's channel order.
    /// Only for `f32`; absent means 0.
    #[serde(default)]
    pub mean: Option<[f32; 3]>,
    /// Per-channel divisor applied after the mean, in the model's channel order (`[255, 255, 255]`
    /// gives 0..1). Only for `f32`; absent means 1.
    #[serde(default)]
    pub std: Option<[f32; 3]>,
    /// Value (0..255, before normalisation) of letterbox padding.
    #[serde(default = "default_pad")]
    pub pad_value: u8,
}

fn default_pad() -> u8 {
    114
}

/// How to read the model's outputs. Chosen with `format = "…"` in the `[output]` table.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "format", rename_all = "lowercase", deny_unknown_fields)]
pub enum OutputFormat {
    /// NanoDet / GFL heads: per stride a class-score tensor `[1, cells, C]` and a distribution
    /// tensor `[1, cells, 4 × bins]` (sides l, t, r, b), or one `[1, all cells, C + 4 × bins]`
    /// tensor with the scores first (NanoDet-Plus export). Matched by shape, not by name.
    Nanodet {
        #[serde(default = "default_strides")]
        strides: Vec<u32>,
        /// Cell centre = `(col + offset) × stride`: 0.5 for NanoDet (GFL), 0 for NanoDet-Plus.
        #[serde(default = "default_center_offset")]
        center_offset: f32,
        /// Apply a sigmoid to class scores (exports that emit logits).
        #[serde(default)]
        sigmoid: bool,
    },
    /// CenterNet-style `[1, K, 6]`: x1, y1, x2, y2, score, class.
    Centernet {
        /// Output name; the `[1, K, 6]` output if absent.
        #[serde(default)]
        output: Option<String>,
        /// Coordinates are 0..1 of the input instead of input pixels.
        #[serde(default)]
        normalized: bool,
        /// Subtracted from the class value to index the labels.
        #[serde(default)]
        class_offset: i64,
    },
    /// TensorFlow object-detection API: boxes `[1, N, 4]` (ymin, xmin, ymax, xmax, 0..1),
    /// scores `[1, N]`, classes `[1, N]` (1-based), num_detections `[1]`.
    Ssd {
        #[serde(default = "default_ssd_boxes")]
        boxes: String,
        #[serde(default = "default_ssd_scores")]
        scores: String,
        #[serde(default = "default_ssd_classes")]
        classes: String,
        #[serde(default = "default_ssd_num")]
        num_detections: String,
        #[serde(default = "default_one")]
        class_offset: i64,
    },
    /// Ultralytics YOLO v8 / v9 / v11: `[1, 4 + C, N]` (or `[1, N, 4 + C]`) with cx, cy, w, h in
    /// input pixels followed by C class scores, no objectness.
    Yolov8 {
        #[serde(default)]
        output: Option<String>,
        #[serde(default)]
        normalized: bool,
    },
}

fn default_strides() -> Vec<u32> {
    vec![8, 16, 32]
}
fn default_center_offset() -> f32 {
    0.5
}
fn default_ssd_boxes() -> String {
    "detection_boxes".into()
}
fn default_ssd_scores() -> String {
    "detection_scores".into()
}
fn default_ssd_classes() -> String {
    "detection_classes".into()
}
fn default_ssd_num() -> String {
    "num_detections".into()
}
fn default_one() -> i64 {
    1
}

impl OutputFormat {
    /// The format's name as written in configs.
    pub fn name(&self) -> &'static str {
        match self {
            OutputFormat::Nanodet { .. } => "nanodet",
            OutputFormat::Centernet { .. } => "centernet",
            OutputFormat::Ssd { .. } => "ssd",
            OutputFormat::Yolov8 { .. } => "yolov8",
        }
    }
}

/// Labels: a preset name (`"coco80"`) or the list itself, indexed by class id.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum LabelSpec {
    Preset(String),
    List(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    name: String,
    file: PathBuf,
    input: InputSpec,
    output: OutputFormat,
    #[serde(default)]
    labels: Option<LabelSpec>,
    #[serde(default)]
    labels_file: Option<PathBuf>,
    #[serde(default = "default_score")]
    score_threshold: f32,
    #[serde(default = "default_iou")]
    nms_iou: f32,
    #[serde(default = "default_max_det")]
    max_detections: usize,
}

fn default_score() -> f32 {
    0.4
}
fn default_iou() -> f32 {
    0.5
}
fn default_max_det() -> usize {
    100
}

/// One model: where it is and how to feed and read it. Build with [`ModelConfig::from_file`] or
/// [`ModelConfig::from_toml`].
#[derive(Clone, Debug, PartialEq)]
pub struct ModelConfig {
    /// Short name shown to users (`nanodet`).
    pub name: String,
    /// The ONNX file, resolved against the config's directory.
    pub model_path: PathBuf,
    pub input: InputSpec,
    pub output: OutputFormat,
    /// Label of each class id.
    pub labels: Vec<String>,
    /// Detections below this score are dropped before NMS.
    pub score_threshold: f32,
    /// Boxes of one class overlapping a better one by more than this IoU are dropped.
    pub nms_iou: f32,
    pub max_detections: usize,
}

impl ModelConfig {
    /// Reads a config; relative paths in it are relative to the file's directory.
    pub fn from_file(path: impl AsRef<Path>) -> Result<ModelConfig> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::new(
                ErrorKind::NotFound,
                format!("cannot read model config {}", path.display()),
            )
            .with_code(vigil_base::ErrorCode::ModelConfigInvalid)
            .with_source(e)
        })?;
        let dir = path.parent().unwrap_or(Path::new("."));
        ModelConfig::from_toml(&text, dir).map_err(|e| {
            err!(
                InvalidArgument,
                code = ModelConfigInvalid,
                "{}: {e}",
                path.display()
            )
        })
    }

    /// Parses a config from TOML text; relative paths are resolved against `base_dir`.
    pub fn from_toml(text: &str, base_dir: &Path) -> Result<ModelConfig> {
        let raw: RawConfig = toml::from_str(text)
            .err_kind(ErrorKind::InvalidArgument, || "invalid model config".into())
            .map_err(|e| e.with_code(vigil_base::ErrorCode::ModelConfigInvalid))?;
        let labels = match (&raw.labels, &raw.labels_file) {
            (Some(_), Some(_)) => return Err(invalid("give labels or labels_file, not both")),
            (None, None) => return Err(invalid("labels (or labels_file) is required")),
            (Some(LabelSpec::Preset(name)), None) => labels::preset(name).ok_or_else(|| {
                invalid(&format!("unknown label preset {name:?} (known: coco80)"))
            })?,
            (Some(LabelSpec::List(list)), None) => list.clone(),
            (None, Some(file)) => {
                let file = base_dir.join(file);
                let text = std::fs::read_to_string(&file).map_err(|e| {
                    invalid(&format!("cannot read labels file {}", file.display())).with_source(e)
                })?;
                text.lines()
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect()
            }
        };
        let config = ModelConfig {
            name: raw.name,
            model_path: base_dir.join(raw.file),
            input: raw.input,
            output: raw.output,
            labels,
            score_threshold: raw.score_threshold,
            nms_iou: raw.nms_iou,
            max_detections: raw.max_detections,
        };
        config.validate()?;
        Ok(config)
    }

    /// Every `*.toml` model config in a directory, sorted by file name.
    pub fn load_dir(dir: impl AsRef<Path>) -> Result<Vec<ModelConfig>> {
        let dir = dir.as_ref();
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .err_kind(ErrorKind::NotFound, || {
                format!("cannot list model configs in {}", dir.display())
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        paths.iter().map(ModelConfig::from_file).collect()
    }

    /// Checks values a TOML parser cannot.
    pub fn validate(&self) -> Result<()> {
        let i = &self.input;
        if self.name.trim().is_empty() {
            return Err(invalid("name must not be empty"));
        }
        if !(1..=4096).contains(&i.width) || !(1..=4096).contains(&i.height) {
            return Err(invalid("input width and height must be 1..=4096"));
        }
        if i.dtype == DType::U8 && (i.mean.is_some() || i.std.is_some()) {
            return Err(invalid(
                "mean/std apply only to f32 inputs; u8 inputs take raw pixels",
            ));
        }
        if let Some(std) = i.std
            && std.iter().any(|s| *s == 0.0 || !s.is_finite())
        {
            return Err(invalid("std values must be finite and non-zero"));
        }
        if self.labels.is_empty() {
            return Err(invalid("labels must not be empty"));
        }
        if !(0.0..=1.0).contains(&self.score_threshold) {
            return Err(invalid("score_threshold must be between 0 and 1"));
        }
        if !(0.0..=1.0).contains(&self.nms_iou) {
            return Err(invalid("nms_iou must be between 0 and 1 (1 disables NMS)"));
        }
        if self.max_detections == 0 {
            return Err(invalid("max_detections must be at least 1"));
        }
        if let OutputFormat::Nanodet { strides, .. } = &self.output
            && (strides.is_empty() || strides.contains(&0))
        {
            return Err(invalid(
                "nanodet strides must be a non-empty list of positive numbers",
            ));
        }
        Ok(())
    }

    /// The label of a class id, or `class_<id>` for an id beyond the list.
    pub fn label(&self, class_id: u32) -> String {
        self.labels
            .get(class_id as usize)
            .cloned()
            .unwrap_or_else(|| format!("class_{class_id}"))
    }
}

fn invalid(message: &str) -> Error {
    err!(InvalidArgument, code = ModelConfigInvalid, "{message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const NANODET: &str = r#"
        name = "nanodet"
        file = "nanodet.onnx"
        labels = "coco80"
        score_threshold = 0.35
        [input]
        name = "input_1:0"
        layout = "nchw"
        width = 416
        height = 416
        dtype = "f32"
        color = "bgr"
        resize = "stretch"
        mean = [103.53, 116.28, 123.675]
        std = [57.375, 57.12, 58.395]
        [output]
        format = "nanodet"
    "#;

    #[test]
    fn parses_with_defaults() {
        let c = ModelConfig::from_toml(NANODET, Path::new("/m")).unwrap();
        assert_eq!(c.model_path, Path::new("/m/nanodet.onnx"));
        assert_eq!(c.labels.len(), 80);
        assert_eq!(c.label(16), "dog");
        assert_eq!(c.label(200), "class_200");
        assert_eq!(c.nms_iou, 0.5);
        assert_eq!(c.max_detections, 100);
        assert_eq!(c.input.pad_value, 114);
        assert_eq!(
            c.output,
            OutputFormat::Nanodet {
                strides: vec![8, 16, 32],
                center_offset: 0.5,
                sigmoid: false
            }
        );
    }

    #[test]
    fn ssd_defaults_and_label_list() {
        let c = ModelConfig::from_toml(
            r#"
            name = "ssd"
            file = "ssd.onnx"
            labels = ["person"]
            [input]
            layout = "nhwc"
            width = 300
            height = 300
            dtype = "u8"
            color = "rgb"
            resize = "stretch"
            [output]
            format = "ssd"
            "#,
            Path::new("."),
        )
        .unwrap();
        assert_eq!(c.labels, vec!["person"]);
        match c.output {
            OutputFormat::Ssd {
                boxes,
                class_offset,
                ..
            } => {
                assert_eq!(boxes, "detection_boxes");
                assert_eq!(class_offset, 1);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn labels_file_is_relative_to_the_config() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("l.txt"), "cat\n\ndog\n").unwrap();
        let text = NANODET.replace("labels = \"coco80\"", "labels_file = \"l.txt\"");
        std::fs::write(dir.path().join("m.toml"), text).unwrap();
        let all = ModelConfig::load_dir(dir.path()).unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].labels, vec!["cat", "dog"]);
        assert_eq!(all[0].model_path, dir.path().join("nanodet.onnx"));
    }

    #[test]
    fn rejects_bad_configs() {
        let cases = [
            NANODET.replace("format = \"nanodet\"", "format = \"detr\""),
            NANODET.replace("layout = \"nchw\"", "layout = \"chw\""),
            NANODET.replace("width = 416", "width = 0"),
            NANODET.replace("labels = \"coco80\"", "labels = \"imagenet\""),
            NANODET.replace("labels = \"coco80\"", ""),
            NANODET.replace("dtype = \"f32\"", "dtype = \"u8\""),
            NANODET.replace("score_threshold = 0.35", "score_threshold = 2.0"),
            NANODET.replace("std = [57.375, 57.12, 58.395]", "std = [0.0, 1.0, 1.0]"),
            NANODET.replace("format = \"nanodet\"", "format = \"nanodet\"\nstrides = []"),
            NANODET.replace("name = \"input_1:0\"", "nmae = \"x\""),
        ];
        for text in cases {
            let e = ModelConfig::from_toml(&text, Path::new(".")).unwrap_err();
            assert_eq!(e.code(), vigil_base::ErrorCode::ModelConfigInvalid, "{e}");
            assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        }
        let e = ModelConfig::from_file("/nonexistent/model.toml").unwrap_err();
        assert_eq!(e.code(), vigil_base::ErrorCode::ModelConfigInvalid);
    }
}
