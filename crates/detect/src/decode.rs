//! Output decoders, one per [`OutputFormat`]: raw output tensors in, scored boxes in model-input
//! pixels out (before NMS). Pure functions over slices, so each is unit-tested on synthetic
//! tensors here and on the real models in `tests/`.

use std::borrow::Cow;

use vigil_base::{Error, Result, err};

use crate::config::OutputFormat;
use crate::geometry::{BBox, Scored};

/// One output of a run, converted to `f32`.
#[derive(Clone, Debug)]
pub struct OutTensor<'a> {
    pub name: Cow<'a, str>,
    pub shape: Vec<usize>,
    pub data: Cow<'a, [f32]>,
}

impl OutTensor<'_> {
    /// Last dimension (values per row).
    fn channels(&self) -> usize {
        self.shape.last().copied().unwrap_or(0)
    }

    /// Product of all but the last dimension (rows).
    fn rows(&self) -> usize {
        let n = self.shape.len();
        if n == 0 {
            0
        } else {
            self.shape[..n - 1].iter().product()
        }
    }
}

/// What the decoders need to know about the model's input and labels.
#[derive(Clone, Copy, Debug)]
pub struct DecodeParams {
    pub input_width: u32,
    pub input_height: u32,
    pub num_classes: usize,
    pub score_threshold: f32,
}

/// Decodes every box scoring at least `score_threshold`, in model-input pixels.
pub fn decode(
    format: &OutputFormat,
    outputs: &[OutTensor<'_>],
    p: &DecodeParams,
) -> Result<Vec<Scored>> {
    let mut out = Vec::new();
    match format {
        OutputFormat::Nanodet {
            strides,
            center_offset,
            sigmoid,
        } => nanodet(strides, *center_offset, *sigmoid, outputs, p, &mut out)?,
        OutputFormat::Centernet {
            output,
            normalized,
            class_offset,
        } => centernet(
            output.as_deref(),
            *normalized,
            *class_offset,
            outputs,
            p,
            &mut out,
        )?,
        OutputFormat::Ssd {
            boxes,
            scores,
            classes,
            num_detections,
            class_offset,
        } => ssd(
            [boxes, scores, classes, num_detections],
            *class_offset,
            outputs,
            p,
            &mut out,
        )?,
        OutputFormat::Yolov8 { output, normalized } => {
            yolov8(output.as_deref(), *normalized, outputs, p, &mut out)?
        }
    }
    out.retain(|s| s.bbox.is_finite() && s.score.is_finite());
    Ok(out)
}

fn mismatch(format: &str, what: &str, outputs: &[OutTensor<'_>]) -> Error {
    let shapes: Vec<String> = outputs
        .iter()
        .map(|o| format!("{} {:?}", o.name, o.shape))
        .collect();
    err!(
        Unavailable,
        code = ModelUnavailable,
        "the model's outputs do not fit output format {format:?}: {what} (outputs: {})",
        shapes.join(", ")
    )
}

/// An output by name: exact, then ignoring a `:0` suffix, then as the last path component.
fn by_name<'o, 'a>(outputs: &'o [OutTensor<'a>], name: &str) -> Option<&'o OutTensor<'a>> {
    let strip = |s: &str| -> String {
        match s.rsplit_once(':') {
            Some((head, tail)) if tail.chars().all(|c| c.is_ascii_digit()) => head.to_string(),
            _ => s.to_string(),
        }
    };
    let want = strip(name);
    outputs
        .iter()
        .find(|o| o.name == name)
        .or_else(|| outputs.iter().find(|o| strip(&o.name) == want))
        .or_else(|| {
            outputs
                .iter()
                .find(|o| strip(&o.name).rsplit('/').next() == Some(want.as_str()))
        })
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// Expected value of a softmax over `bins` (the GFL distance, in strides).
fn distribution_mean(bins: &[f32]) -> f32 {
    let max = bins.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let (mut sum, mut weighted) = (0.0f32, 0.0f32);
    for (k, v) in bins.iter().enumerate() {
        let e = (v - max).exp();
        sum += e;
        weighted += e * k as f32;
    }
    if sum > 0.0 { weighted / sum } else { 0.0 }
}

/// One pyramid level of a NanoDet head: where its rows are in the score and box tensors.
struct Level<'d> {
    stride: u32,
    cols: usize,
    rows: usize,
    cls: &'d [f32],
    cls_step: usize,
    reg: &'d [f32],
    reg_step: usize,
    bins: usize,
}

fn nanodet(
    strides: &[u32],
    center_offset: f32,
    apply_sigmoid: bool,
    outputs: &[OutTensor<'_>],
    p: &DecodeParams,
    out: &mut Vec<Scored>,
) -> Result<()> {
    let c = p.num_classes;
    let grid: Vec<(u32, usize, usize)> = strides
        .iter()
        .map(|&s| {
            let cols = p.input_width.div_ceil(s) as usize;
            let rows = p.input_height.div_ceil(s) as usize;
            (s, cols, rows)
        })
        .collect();
    let mut levels = Vec::with_capacity(grid.len());
    // Separate tensors per stride: scores [1, cells, C], distributions [1, cells, 4 × bins].
    for &(stride, cols, rows) in &grid {
        let cells = cols * rows;
        let cls: Vec<_> = outputs
            .iter()
            .filter(|o| o.rows() == cells && o.channels() == c)
            .collect();
        let reg: Vec<_> = outputs
            .iter()
            .filter(|o| {
                o.rows() == cells
                    && o.channels() != c
                    && o.channels() >= 8
                    && o.channels().is_multiple_of(4)
            })
            .collect();
        if let ([cls], [reg]) = (&cls[..], &reg[..]) {
            levels.push(Level {
                stride,
                cols,
                rows,
                cls: &cls.data,
                cls_step: c,
                reg: &reg.data,
                reg_step: reg.channels(),
                bins: reg.channels() / 4,
            });
        }
    }
    if levels.len() != grid.len() {
        // One tensor [1, all cells, C + 4 × bins], scores first, levels in stride order.
        levels.clear();
        let total: usize = grid.iter().map(|(_, c, r)| c * r).sum();
        let combined: Vec<_> = outputs
            .iter()
            .filter(|o| {
                o.rows() == total && o.channels() > c && (o.channels() - c).is_multiple_of(4)
            })
            .collect();
        let [t] = &combined[..] else {
            return Err(mismatch(
                "nanodet",
                &format!(
                    "expected per stride {strides:?} a [1, cells, {c}] score and a [1, cells, 4×bins] box tensor, \
                     or one [1, {total}, {c} + 4×bins] tensor"
                ),
                outputs,
            ));
        };
        let step = t.channels();
        let mut start = 0;
        for &(stride, cols, rows) in &grid {
            let rows_data = &t.data[start * step..(start + cols * rows) * step];
            levels.push(Level {
                stride,
                cols,
                rows,
                cls: rows_data,
                cls_step: step,
                reg: &rows_data[c..],
                reg_step: step,
                bins: (step - c) / 4,
            });
            start += cols * rows;
        }
    }
    for l in &levels {
        let s = l.stride as f32;
        for i in 0..l.cols * l.rows {
            let scores = &l.cls[i * l.cls_step..i * l.cls_step + c];
            let mut boxed: Option<BBox> = None;
            for (k, &raw) in scores.iter().enumerate() {
                let score = if apply_sigmoid { sigmoid(raw) } else { raw };
                if score < p.score_threshold {
                    continue;
                }
                let bbox = *boxed.get_or_insert_with(|| {
                    let d = &l.reg[i * l.reg_step..i * l.reg_step + 4 * l.bins];
                    let side = |j: usize| distribution_mean(&d[j * l.bins..(j + 1) * l.bins]) * s;
                    let cx = ((i % l.cols) as f32 + center_offset) * s;
                    let cy = ((i / l.cols) as f32 + center_offset) * s;
                    BBox::new(cx - side(0), cy - side(1), cx + side(2), cy + side(3))
                });
                out.push(Scored {
                    bbox,
                    score,
                    class_id: k as u32,
                });
            }
        }
    }
    Ok(())
}

/// Turns a class value into an index, or None if it is outside the labels.
fn class_index(value: f32, offset: i64, num_classes: usize) -> Option<u32> {
    let id = value.round() as i64 - offset;
    (id >= 0 && (id as usize) < num_classes).then_some(id as u32)
}

fn centernet(
    name: Option<&str>,
    normalized: bool,
    class_offset: i64,
    outputs: &[OutTensor<'_>],
    p: &DecodeParams,
    out: &mut Vec<Scored>,
) -> Result<()> {
    let t = match name {
        Some(n) => by_name(outputs, n),
        None => outputs
            .iter()
            .find(|o| o.channels() == 6 && o.shape.len() >= 2),
    };
    let Some(t) = t.filter(|t| t.channels() == 6) else {
        return Err(mismatch(
            "centernet",
            "expected a [1, K, 6] output",
            outputs,
        ));
    };
    let (sx, sy) = if normalized {
        (p.input_width as f32, p.input_height as f32)
    } else {
        (1.0, 1.0)
    };
    for row in t.data.chunks_exact(6) {
        let score = row[4];
        if score < p.score_threshold {
            continue;
        }
        let Some(class_id) = class_index(row[5], class_offset, p.num_classes) else {
            continue;
        };
        let bbox = BBox::new(row[0] * sx, row[1] * sy, row[2] * sx, row[3] * sy).normalized_order();
        out.push(Scored {
            bbox,
            score,
            class_id,
        });
    }
    Ok(())
}

fn ssd(
    names: [&String; 4],
    class_offset: i64,
    outputs: &[OutTensor<'_>],
    p: &DecodeParams,
    out: &mut Vec<Scored>,
) -> Result<()> {
    let [boxes_name, scores_name, classes_name, num_name] = names;
    let find = |n: &str| {
        by_name(outputs, n)
            .ok_or_else(|| mismatch("ssd", &format!("no output named {n:?}"), outputs))
    };
    let (boxes, scores, classes) = (find(boxes_name)?, find(scores_name)?, find(classes_name)?);
    if boxes.channels() != 4 {
        return Err(mismatch("ssd", "boxes must be [1, N, 4]", outputs));
    }
    let mut n = boxes.rows().min(scores.data.len()).min(classes.data.len());
    if let Some(num) = by_name(outputs, num_name)
        && let Some(&v) = num.data.first()
    {
        n = n.min(v.max(0.0) as usize);
    }
    let (w, h) = (p.input_width as f32, p.input_height as f32);
    for i in 0..n {
        let score = scores.data[i];
        if score < p.score_threshold {
            continue;
        }
        let Some(class_id) = class_index(classes.data[i], class_offset, p.num_classes) else {
            continue;
        };
        let b = &boxes.data[i * 4..i * 4 + 4];
        let bbox = BBox::new(b[1] * w, b[0] * h, b[3] * w, b[2] * h).normalized_order();
        out.push(Scored {
            bbox,
            score,
            class_id,
        });
    }
    Ok(())
}

fn yolov8(
    name: Option<&str>,
    normalized: bool,
    outputs: &[OutTensor<'_>],
    p: &DecodeParams,
    out: &mut Vec<Scored>,
) -> Result<()> {
    let c = p.num_classes;
    let fits =
        |o: &OutTensor<'_>| o.shape.len() == 3 && (o.shape[1] == 4 + c || o.shape[2] == 4 + c);
    let t = match name {
        Some(n) => by_name(outputs, n),
        None => outputs.iter().find(|o| fits(o)),
    };
    let Some(t) = t.filter(|t| fits(t)) else {
        return Err(mismatch(
            "yolov8",
            &format!("expected a [1, 4 + {c}, N] (or [1, N, 4 + {c}]) output for {c} labels"),
            outputs,
        ));
    };
    // Ultralytics exports channels first; accept the transposed form too.
    let channels_first = t.shape[1] == 4 + c;
    let n = if channels_first {
        t.shape[2]
    } else {
        t.shape[1]
    };
    let at = |ch: usize, j: usize| {
        if channels_first {
            t.data[ch * n + j]
        } else {
            t.data[j * (4 + c) + ch]
        }
    };
    let (sx, sy) = if normalized {
        (p.input_width as f32, p.input_height as f32)
    } else {
        (1.0, 1.0)
    };
    for j in 0..n {
        let (mut best, mut best_k) = (f32::NEG_INFINITY, 0);
        for k in 0..c {
            let s = at(4 + k, j);
            if s > best {
                best = s;
                best_k = k;
            }
        }
        if best < p.score_threshold {
            continue;
        }
        let bbox = BBox::from_center(at(0, j) * sx, at(1, j) * sy, at(2, j) * sx, at(3, j) * sy);
        out.push(Scored {
            bbox,
            score: best,
            class_id: best_k as u32,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(name: &str, shape: &[usize], data: Vec<f32>) -> OutTensor<'static> {
        assert_eq!(shape.iter().product::<usize>(), data.len());
        OutTensor {
            name: Cow::Owned(name.to_string()),
            shape: shape.to_vec(),
            data: Cow::Owned(data),
        }
    }

    fn params(w: u32, h: u32, classes: usize) -> DecodeParams {
        DecodeParams {
            input_width: w,
            input_height: h,
            num_classes: classes,
            score_threshold: 0.3,
        }
    }

    fn close(a: BBox, b: BBox) -> bool {
        (a.x1 - b.x1).abs() < 1e-3
            && (a.y1 - b.y1).abs() < 1e-3
            && (a.x2 - b.x2).abs() < 1e-3
            && (a.y2 - b.y2).abs() < 1e-3
    }

    #[test]
    fn yolov8_channels_first_and_transposed() {
        // 2 classes, 3 anchors: [1, 6, 3]
        let c = 2;
        let n = 3;
        let mut data = vec![0.0; (4 + c) * n];
        let mut set = |ch: usize, j: usize, v: f32| data[ch * n + j] = v;
        // anchor 0: box (100,50) 20x40, class 1 at 0.9
        set(0, 0, 100.0);
        set(1, 0, 50.0);
        set(2, 0, 20.0);
        set(3, 0, 40.0);
        set(5, 0, 0.9);
        set(4, 0, 0.2);
        // anchor 1: below threshold
        set(4, 1, 0.1);
        // anchor 2: class 0 at 0.5
        set(0, 2, 10.0);
        set(1, 2, 10.0);
        set(2, 2, 4.0);
        set(3, 2, 4.0);
        set(4, 2, 0.5);
        let format = OutputFormat::Yolov8 {
            output: None,
            normalized: false,
        };
        let first = decode(
            &format,
            &[t("output0", &[1, 6, 3], data.clone())],
            &params(640, 640, c),
        )
        .unwrap();
        assert_eq!(first.len(), 2);
        assert_eq!(first[0].class_id, 1);
        assert_eq!(first[0].score, 0.9);
        assert!(close(first[0].bbox, BBox::new(90.0, 30.0, 110.0, 70.0)));
        assert_eq!(first[1].class_id, 0);
        assert!(close(first[1].bbox, BBox::new(8.0, 8.0, 12.0, 12.0)));
        // the same as [1, N, 4 + C]
        let mut transposed = vec![0.0; data.len()];
        for ch in 0..4 + c {
            for j in 0..n {
                transposed[j * (4 + c) + ch] = data[ch * n + j];
            }
        }
        let second = decode(
            &format,
            &[t("output0", &[1, 3, 6], transposed)],
            &params(640, 640, c),
        )
        .unwrap();
        assert_eq!(first, second);
        // wrong class count: a clear mismatch error
        let e = decode(
            &format,
            &[t("output0", &[1, 6, 3], data)],
            &params(640, 640, 80),
        )
        .unwrap_err();
        assert_eq!(e.code(), vigil_base::ErrorCode::ModelUnavailable);
        assert!(e.message().contains("yolov8"), "{e}");
    }

    #[test]
    fn yolov8_normalized_coordinates() {
        let data = vec![0.5, 0.5, 0.25, 0.5, 0.8]; // [1, 5, 1], one class
        let format = OutputFormat::Yolov8 {
            output: Some("out".into()),
            normalized: true,
        };
        let r = decode(&format, &[t("out", &[1, 5, 1], data)], &params(400, 200, 1)).unwrap();
        assert!(close(r[0].bbox, BBox::new(150.0, 50.0, 250.0, 150.0)));
    }

    #[test]
    fn centernet_rows_threshold_and_classes() {
        let rows = vec![
            10.0, 20.0, 110.0, 220.0, 0.8, 0.0, // person
            5.0, 5.0, 50.0, 50.0, 0.2, 16.0, // below threshold
            1.0, 2.0, 3.0, 4.0, 0.9, 99.0, // class out of range: dropped
            300.0, 300.0, 200.0, 200.0, 0.5, 2.0, // inverted corners: reordered
        ];
        let format = OutputFormat::Centernet {
            output: None,
            normalized: false,
            class_offset: 0,
        };
        let outs = [
            t("tower_0/wh", &[1, 2, 2], vec![0.0; 4]),
            t("tower_0/detections", &[1, 4, 6], rows),
        ];
        let r = decode(&format, &outs, &params(512, 512, 80)).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].class_id, r[0].score), (0, 0.8));
        assert_eq!(r[0].bbox, BBox::new(10.0, 20.0, 110.0, 220.0));
        assert_eq!(r[1].bbox, BBox::new(200.0, 200.0, 300.0, 300.0));
        let named = OutputFormat::Centernet {
            output: Some("tower_0/wh".into()),
            normalized: false,
            class_offset: 0,
        };
        assert!(decode(&named, &outs, &params(512, 512, 80)).is_err());
    }

    #[test]
    fn ssd_boxes_are_yx_normalised_and_classes_one_based() {
        let format = OutputFormat::Ssd {
            boxes: "detection_boxes".into(),
            scores: "detection_scores".into(),
            classes: "detection_classes".into(),
            num_detections: "num_detections".into(),
            class_offset: 1,
        };
        let outs = [
            t("num_detections:0", &[1], vec![2.0]),
            t(
                "detection_boxes:0",
                &[1, 3, 4],
                vec![0.1, 0.2, 0.5, 0.6, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.5, 0.5],
            ),
            t("detection_scores:0", &[1, 3], vec![0.9, 0.35, 0.99]),
            t("detection_classes:0", &[1, 3], vec![1.0, 2.0, 1.0]),
        ];
        // third row is past num_detections; second has class 2 (beyond one label)
        let r = decode(&format, &outs, &params(300, 200, 1)).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].class_id, 0);
        assert!(close(r[0].bbox, BBox::new(60.0, 20.0, 180.0, 100.0)));
        let missing = [outs[0].clone(), outs[1].clone()];
        let e = decode(&format, &missing, &params(300, 200, 1)).unwrap_err();
        assert!(e.message().contains("detection_scores"), "{e}");
    }

    /// A 16x8 input, strides 8 and 16 → 2x1 and 1x1 cells, 2 classes, 4 bins (reg_max 3).
    fn nanodet_tensors() -> (Vec<f32>, Vec<f32>, Vec<f32>, Vec<f32>) {
        let cls8 = vec![0.1, 0.9, 0.0, 0.0]; // cell 0: class 1 at 0.9
        // cell 0 distributions: all mass on bin 1 → distance 1 × 8 on each side
        let one_hot =
            |k: usize| -> Vec<f32> { (0..4).map(|i| if i == k { 20.0 } else { -20.0 }).collect() };
        let mut reg8 = Vec::new();
        for _ in 0..4 {
            reg8.extend(one_hot(1));
        }
        reg8.extend(vec![0.0; 16]);
        let cls16 = vec![0.4, 0.5]; // both classes pass
        let mut reg16 = Vec::new();
        for k in [0, 0, 2, 1] {
            reg16.extend(one_hot(k)); // l=0, t=0, r=32, b=16
        }
        (cls8, reg8, cls16, reg16)
    }

    #[test]
    fn nanodet_separate_tensors_matched_by_shape() {
        let (cls8, reg8, cls16, reg16) = nanodet_tensors();
        let format = OutputFormat::Nanodet {
            strides: vec![8, 16],
            center_offset: 0.5,
            sigmoid: false,
        };
        // order and names deliberately unhelpful
        let outs = [
            t("b", &[1, 1, 16], reg16),
            t("a", &[1, 2, 2], cls8),
            t("d", &[1, 1, 2], cls16),
            t("c", &[1, 2, 16], reg8),
        ];
        let r = decode(&format, &outs, &params(16, 8, 2)).unwrap();
        assert_eq!(r.len(), 3);
        // stride 8, cell (0,0): centre (4,4), 8 on each side
        assert_eq!((r[0].class_id, r[0].score), (1, 0.9));
        assert!(
            close(r[0].bbox, BBox::new(-4.0, -4.0, 12.0, 12.0)),
            "{:?}",
            r[0].bbox
        );
        // stride 16, cell (0,0): centre (8,8)
        assert!(
            close(r[1].bbox, BBox::new(8.0, 8.0, 40.0, 24.0)),
            "{:?}",
            r[1].bbox
        );
        assert_eq!(r[1].bbox, r[2].bbox);
        assert_eq!((r[1].class_id, r[2].class_id), (0, 1));
    }

    #[test]
    fn nanodet_combined_tensor_with_logits() {
        let (cls8, reg8, cls16, reg16) = nanodet_tensors();
        let logit = |p: f32| (p / (1.0 - p)).ln();
        let mut data = Vec::new();
        for (i, cls) in cls8.chunks(2).enumerate() {
            data.extend(cls.iter().map(|&p| logit(p.clamp(1e-6, 1.0 - 1e-6))));
            data.extend(&reg8[i * 16..(i + 1) * 16]);
        }
        data.extend(cls16.iter().map(|&p| logit(p)));
        data.extend(&reg16);
        let format = OutputFormat::Nanodet {
            strides: vec![8, 16],
            center_offset: 0.0,
            sigmoid: true,
        };
        let r = decode(
            &format,
            &[t("output", &[1, 3, 18], data)],
            &params(16, 8, 2),
        )
        .unwrap();
        assert_eq!(r.len(), 3);
        assert!((r[0].score - 0.9).abs() < 1e-4);
        // offset 0: centre (0,0)
        assert!(
            close(r[0].bbox, BBox::new(-8.0, -8.0, 8.0, 8.0)),
            "{:?}",
            r[0].bbox
        );
        // nothing fits: a clear error naming the shapes
        let e = decode(
            &format,
            &[t("x", &[1, 5, 7], vec![0.0; 35])],
            &params(16, 8, 2),
        )
        .unwrap_err();
        assert!(e.message().contains("x [1, 5, 7]"), "{e}");
    }

    #[test]
    fn distribution_mean_is_the_softmax_expectation() {
        assert!((distribution_mean(&[0.0, 0.0]) - 0.5).abs() < 1e-6);
        assert!((distribution_mean(&[-50.0, 50.0, -50.0]) - 1.0).abs() < 1e-4);
        // large values do not overflow
        assert!((distribution_mean(&[1000.0, 1000.0]) - 0.5).abs() < 1e-6);
    }
}
