//! The shipped models on real pictures, through the real ONNX Runtime library: Debian darknet's
//! dog.jpg and person.jpg, and frame 100 of OpenCV's vtest.avi (decoded with the ffmpeg CLI).
//! Also what happens without a usable library or model: clear errors, never a panic.

#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use image::RgbImage;
use vigil_base::ErrorKind;
use vigil_detect::{
    BBox, Detection, Detector, Filter, FrameRef, ModelConfig, ResizeMode, Runtime, RuntimeOptions,
    Zone,
};

const DOG: &str = "/usr/share/darknet/data/dog.jpg";
const PERSON: &str = "/usr/share/darknet/data/person.jpg";
const VTEST: &str = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn runtime() -> Runtime {
    let options = RuntimeOptions {
        library_path: None,
        search_dirs: vec![repo().join(".cache/onnxruntime")],
    };
    Runtime::init(&options)
        .expect("ONNX Runtime (scripts/dev.sh setup installs it into .cache/onnxruntime)")
}

fn config(name: &str) -> ModelConfig {
    ModelConfig::from_file(repo().join("models").join(format!("{name}.toml"))).unwrap()
}

fn detector(name: &str) -> Detector {
    Detector::load(&config(name), &runtime(), 2).unwrap()
}

fn load(path: &str) -> RgbImage {
    assert!(
        Path::new(path).exists(),
        "{path} is missing (apt packages darknet, opencv-doc)"
    );
    image::open(path).unwrap().to_rgb8()
}

/// Frame 100 of vtest.avi (768x576), decoded once per test process.
fn vtest_frame_100() -> &'static RgbImage {
    static FRAME: OnceLock<RgbImage> = OnceLock::new();
    FRAME.get_or_init(|| {
        assert!(
            Path::new(VTEST).exists(),
            "{VTEST} is missing (apt package opencv-doc)"
        );
        let dir = tempfile::tempdir().unwrap();
        let png = dir.path().join("frame100.png");
        let status = std::process::Command::new("ffmpeg")
            .args(["-hide_banner", "-loglevel", "error", "-y", "-i", VTEST])
            .args(["-vf", r"select=eq(n\,100)", "-frames:v", "1"])
            .arg(&png)
            .status()
            .expect("ffmpeg");
        assert!(status.success());
        let img = image::open(&png).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), (768, 576));
        img
    })
}

fn show(what: &str, dets: &[Detection]) {
    eprintln!("{what}:");
    for d in dets {
        let b = d.bbox;
        eprintln!(
            "  {:<10} {:.2}  ({:.0},{:.0})-({:.0},{:.0})",
            d.label, d.score, b.x1, b.y1, b.x2, b.y2
        );
    }
}

/// The best detection of `label` whose centre lies in `region` (x1, y1, x2, y2).
fn find<'a>(dets: &'a [Detection], label: &str, region: BBox) -> Option<&'a Detection> {
    dets.iter().find(|d| {
        let (cx, cy) = d.bbox.center();
        d.label == label && cx >= region.x1 && cx <= region.x2 && cy >= region.y1 && cy <= region.y2
    })
}

fn assert_boxes_inside(dets: &[Detection], w: u32, h: u32) {
    for d in dets {
        let b = d.bbox;
        assert!(
            b.x1 >= 0.0 && b.y1 >= 0.0 && b.x2 <= w as f32 && b.y2 <= h as f32,
            "{d:?}"
        );
        assert!(b.area() > 0.0, "{d:?}");
    }
}

/// dog.jpg (768x576): a dog lower left, a bicycle across the middle, a truck upper right.
fn check_dog_jpg(model: &str, resize: Option<ResizeMode>) {
    let mut cfg = config(model);
    if let Some(r) = resize {
        cfg.input.resize = r;
    }
    let det = Detector::load(&cfg, &runtime(), 2).unwrap();
    let img = load(DOG);
    let dets = det.detect(&img).unwrap();
    show(
        &format!("{model} ({:?}) on dog.jpg", cfg.input.resize),
        &dets,
    );
    assert_boxes_inside(&dets, img.width(), img.height());
    let dog = find(&dets, "dog", BBox::new(100.0, 250.0, 380.0, 560.0)).expect("dog lower left");
    assert!(dog.bbox.height() > 200.0, "{dog:?}");
    let bike = find(&dets, "bicycle", BBox::new(200.0, 150.0, 550.0, 420.0))
        .expect("bicycle in the middle");
    assert!(bike.bbox.width() > 250.0, "{bike:?}");
    assert!(
        find(&dets, "truck", BBox::new(450.0, 50.0, 768.0, 250.0))
            .or_else(|| find(&dets, "car", BBox::new(450.0, 50.0, 768.0, 250.0)))
            .is_some(),
        "truck or car upper right"
    );
}

#[test]
fn nanodet_finds_dog_bicycle_and_truck_in_dog_jpg() {
    check_dog_jpg("nanodet", None);
}

#[test]
fn centernet_finds_dog_bicycle_and_truck_in_dog_jpg() {
    check_dog_jpg("centernet", None);
}

#[test]
fn letterboxed_input_maps_boxes_back_to_the_frame() {
    // The same model fed with padding: boxes must still land on the dog and the bicycle.
    check_dog_jpg("nanodet", Some(ResizeMode::Letterbox));
}

/// vtest.avi frame 100: people walking on a plaza, seen from above. Three of them, found by
/// every model (boxes read off the picture by eye), must be matched with IoU ≥ 0.5.
fn check_vtest(model: &str, min_people: usize) {
    let det = detector(model);
    let img = vtest_frame_100();
    let dets = det.detect(img).unwrap();
    show(&format!("{model} on vtest.avi frame 100"), &dets);
    assert_boxes_inside(&dets, 768, 576);
    let people: Vec<_> = dets.iter().filter(|d| d.label == "person").collect();
    assert!(
        people.len() >= min_people,
        "{model}: {} persons, expected ≥ {min_people}",
        people.len()
    );
    for reference in [
        BBox::new(585.0, 155.0, 620.0, 237.0),
        BBox::new(342.0, 198.0, 380.0, 275.0),
        BBox::new(373.0, 178.0, 408.0, 260.0),
    ] {
        assert!(
            people.iter().any(|p| p.bbox.iou(&reference) >= 0.5),
            "{model}: no person at {reference:?}"
        );
    }
    for p in people.iter().filter(|p| p.score >= 0.5) {
        // confident pedestrians here are 30-150 px tall (far to near) and taller than wide
        let b = p.bbox;
        assert!(
            (25.0..200.0).contains(&b.height()) && b.height() > b.width(),
            "{p:?}"
        );
    }
}

#[test]
fn nanodet_finds_people_in_vtest() {
    check_vtest("nanodet", 4);
}

#[test]
fn centernet_finds_people_in_vtest() {
    check_vtest("centernet", 3);
}

#[test]
fn ssdlite_finds_people_in_vtest() {
    check_vtest("ssdlite", 3);
}

/// person.jpg (640x424): a person standing in the middle, a horse right, a dog left (the horse
/// is found by NanoDet only, so it is not asserted).
#[test]
fn every_model_finds_the_person_in_person_jpg() {
    let img = load(PERSON);
    for model in ["nanodet", "centernet", "ssdlite"] {
        let dets = detector(model).detect(&img).unwrap();
        show(&format!("{model} on person.jpg"), &dets);
        assert_boxes_inside(&dets, img.width(), img.height());
        let p = find(&dets, "person", BBox::new(150.0, 100.0, 320.0, 350.0))
            .expect("person in the middle");
        assert!(p.bbox.height() > 200.0, "{model}: {p:?}");
        if model != "ssdlite" {
            assert!(
                find(&dets, "dog", BBox::new(40.0, 230.0, 240.0, 380.0)).is_some(),
                "{model}: dog"
            );
        }
    }
}

#[test]
fn a_zone_keeps_only_what_is_inside_it() {
    let img = load(DOG);
    let dets = detector("nanodet").detect(&img).unwrap();
    // the left third of the frame: the dog's feet are there, the truck's are not
    let filter = Filter {
        zones: vec![Zone::include(
            "left",
            vec![[0.0, 0.0], [0.45, 0.0], [0.45, 1.0], [0.0, 1.0]],
        )],
        ..Filter::default()
    };
    let kept = filter.apply(dets.clone(), img.width(), img.height());
    show("nanodet on dog.jpg, left zone", &kept);
    assert!(kept.iter().any(|d| d.label == "dog"));
    assert!(!kept.iter().any(|d| d.label == "truck"));
    assert!(kept.len() < dets.len());
}

#[test]
fn strided_frames_and_concurrent_calls_agree() {
    let det = detector("ssdlite");
    let img = vtest_frame_100();
    let expected = det.detect(img).unwrap();
    // the same pixels with 16 bytes of padding after each row, as FFmpeg lays frames out
    let (w, h) = img.dimensions();
    let stride = w as usize * 3 + 16;
    let mut padded = vec![0u8; stride * h as usize];
    for (y, row) in img.as_raw().chunks_exact(w as usize * 3).enumerate() {
        padded[y * stride..y * stride + row.len()].copy_from_slice(row);
    }
    let strided = det
        .detect(FrameRef::with_stride(w, h, stride, &padded).unwrap())
        .unwrap();
    assert_eq!(strided, expected);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..3)
            .map(|_| s.spawn(|| det.detect(img).unwrap()))
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), expected);
        }
    });
}

#[test]
fn missing_library_is_unavailable_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let missing = RuntimeOptions {
        library_path: Some(dir.path().join("libonnxruntime.so.1.31.1")),
        search_dirs: vec![],
    };
    let e = Runtime::init(&missing).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unavailable);
    assert_eq!(e.code(), vigil_base::ErrorCode::DetectionUnavailable);
    assert!(e.message().contains("detection unavailable"), "{e}");
    eprintln!("{e}");
    // a file that is not a library at all
    let fake = dir.path().join("libonnxruntime.so");
    std::fs::write(&fake, b"#!/bin/sh\n").unwrap();
    let e = Runtime::init(&RuntimeOptions {
        library_path: Some(fake),
        search_dirs: vec![],
    })
    .unwrap_err();
    assert_eq!(e.code(), vigil_base::ErrorCode::DetectionUnavailable);
    eprintln!("{e}");
}

#[test]
fn missing_or_mismatched_models_are_unavailable() {
    let rt = runtime();
    let mut cfg = config("nanodet");
    cfg.model_path = cfg.model_path.with_file_name("no-such-model.onnx");
    let e = Detector::load(&cfg, &rt, 1).unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (
            ErrorKind::Unavailable,
            vigil_base::ErrorCode::ModelUnavailable
        )
    );
    // the input layout in the config does not match the model
    let mut cfg = config("nanodet");
    cfg.input.layout = vigil_detect::Layout::Nhwc;
    let e = Detector::load(&cfg, &rt, 1).unwrap_err();
    assert_eq!(e.code(), vigil_base::ErrorCode::ModelUnavailable);
    assert!(e.message().contains("shape"), "{e}");
    // the CenterNet output format on the NanoDet model: caught at load by the warm-up run
    let mut cfg = config("centernet");
    cfg.model_path = config("nanodet").model_path;
    cfg.input = config("nanodet").input;
    let e = Detector::load(&cfg, &rt, 1).unwrap_err();
    assert_eq!(e.code(), vigil_base::ErrorCode::ModelUnavailable);
    assert!(e.message().contains("centernet"), "{e}");
    eprintln!("{e}");
}

#[test]
fn all_shipped_configs_load() {
    let configs = ModelConfig::load_dir(repo().join("models")).unwrap();
    let names: Vec<_> = configs.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["centernet", "nanodet", "ssdlite"]);
    for c in &configs {
        assert!(c.model_path.is_file(), "{}", c.model_path.display());
    }
}
