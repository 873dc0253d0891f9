#!/usr/bin/env python3
"""Python onnxruntime baseline for Vigil's detection timings. Needs
`pip install onnxruntime==1.31.1 numpy pillow` (scripts/bench.sh detect makes a venv with them).

Two modes:

1. Session-only (the default, for crates/detect's throughput example): the same models, the same
   frame (target/throughput-frame.png, written by the example), 1 and 2 intra-op threads, spinning
   off (as Vigil runs) and on (onnxruntime's default); times preprocessing once and session.run.

       python3 crates/detect/scripts/ort_baseline.py [--iters 30]

2. Full detection on a directory of frames (for `vigil-bench detect`, which times Vigil's
   `Detector::detect_timed` on the same PNGs): per frame, everything a Python detector must do —
   resize and normalise with PIL/numpy, session.run, then decode the outputs, threshold,
   per-class NMS and map the boxes back to the frame — with N intra-op threads, spinning off.
   Frames are decoded from PNG before timing starts (as the Rust side does).

       python3 crates/detect/scripts/ort_baseline.py --frames DIR [--threads 2] [--passes 2]
           [--model nanodet ...] [--json]
"""
import argparse
import json
import statistics
import sys
import time
import tomllib
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image

ROOT = Path(__file__).resolve().parents[3]
COCO80_LEN = 80


def prepare(img, cfg):
    inp = cfg["input"]
    w, h = inp["width"], inp["height"]
    arr = np.asarray(img.resize((w, h), Image.BILINEAR))
    if inp["color"] == "bgr":
        arr = arr[:, :, ::-1]
    if inp["dtype"] == "u8":
        x = arr.astype(np.uint8)
    else:
        x = arr.astype(np.float32)
        if "mean" in inp:
            x = x - np.array(inp["mean"], dtype=np.float32)
        if "std" in inp:
            x = x / np.array(inp["std"], dtype=np.float32)
    if inp["layout"] == "nchw":
        x = x.transpose(2, 0, 1)
    return np.ascontiguousarray(x[None])


def num_classes(cfg):
    labels = cfg.get("labels")
    if isinstance(labels, list):
        return len(labels)
    if labels == "coco80":
        return COCO80_LEN
    raise SystemExit(f"{cfg['name']}: label preset {labels!r} not known to this script")


def by_name(outs, want):
    """An output by its name, ignoring a `:0` suffix and any scope prefix (as Vigil matches)."""
    want = want.split(":")[0].split("/")[-1]
    for name, value in outs.items():
        if name.split(":")[0].split("/")[-1] == want:
            return value
    raise SystemExit(f"no output named {want!r} (outputs: {list(outs)})")


def decode_nanodet(outs, cfg, thr, c):
    """GFL head: per stride a [1, cells, C] score tensor and a [1, cells, 4 x bins] distribution."""
    o = cfg["output"]
    inp = cfg["input"]
    off = o.get("center_offset", 0.5)
    boxes, scores, classes = [], [], []
    for s in o["strides"]:
        cols, rows = -(-inp["width"] // s), -(-inp["height"] // s)
        cells = cols * rows
        cls = [v for v in outs.values() if v.ndim == 3 and v.shape[1] == cells and v.shape[2] == c]
        reg = [v for v in outs.values()
               if v.ndim == 3 and v.shape[1] == cells and v.shape[2] != c and v.shape[2] % 4 == 0]
        if len(cls) != 1 or len(reg) != 1:
            raise SystemExit(f"nanodet: stride {s}: outputs do not match by shape")
        sc = cls[0][0]
        if o.get("sigmoid", False):
            sc = 1.0 / (1.0 + np.exp(-sc))
        cell, k = np.nonzero(sc >= thr)
        if cell.size == 0:
            continue
        bins = reg[0].shape[2] // 4
        d = reg[0][0][cell].reshape(-1, 4, bins)
        d = np.exp(d - d.max(axis=2, keepdims=True))
        dist = (d / d.sum(axis=2, keepdims=True)) @ np.arange(bins, dtype=np.float32) * s
        cx = (cell % cols + off) * s
        cy = (cell // cols + off) * s
        boxes.append(np.stack([cx - dist[:, 0], cy - dist[:, 1], cx + dist[:, 2], cy + dist[:, 3]], 1))
        scores.append(sc[cell, k])
        classes.append(k)
    if not boxes:
        return np.zeros((0, 4), np.float32), np.zeros(0, np.float32), np.zeros(0, np.int64)
    return np.concatenate(boxes), np.concatenate(scores), np.concatenate(classes)


def decode_centernet(outs, cfg, thr, c):
    """Already decoded top-K: [1, K, 6] = x1, y1, x2, y2, score, class."""
    o = cfg["output"]
    t = by_name(outs, o["output"]) if "output" in o else next(v for v in outs.values() if v.shape[-1] == 6)
    t = t.reshape(-1, 6)
    t = t[t[:, 4] >= thr]
    cls = np.rint(t[:, 5]).astype(np.int64) - o.get("class_offset", 0)
    t, cls = t[(cls >= 0) & (cls < c)], cls[(cls >= 0) & (cls < c)]
    b = t[:, :4].copy()
    if o.get("normalized", False):
        b *= np.array([cfg["input"]["width"], cfg["input"]["height"]] * 2, np.float32)
    return b, t[:, 4], cls


def decode_ssd(outs, cfg, thr, c):
    """TF object-detection API: boxes [1, N, 4] as ymin, xmin, ymax, xmax (0..1), 1-based classes."""
    o = cfg["output"]
    boxes = by_name(outs, o["boxes"]).reshape(-1, 4)
    scores = by_name(outs, o["scores"]).reshape(-1)
    classes = by_name(outs, o["classes"]).reshape(-1)
    n = min(len(boxes), len(scores), len(classes), int(max(by_name(outs, o["num_detections"]).reshape(-1)[0], 0)))
    boxes, scores, classes = boxes[:n], scores[:n], classes[:n]
    cls = np.rint(classes).astype(np.int64) - o.get("class_offset", 1)
    keep = (scores >= thr) & (cls >= 0) & (cls < c)
    w, h = cfg["input"]["width"], cfg["input"]["height"]
    b = boxes[keep][:, [1, 0, 3, 2]] * np.array([w, h, w, h], np.float32)
    return b, scores[keep], cls[keep]


DECODERS = {"nanodet": decode_nanodet, "centernet": decode_centernet, "ssd": decode_ssd}


def nms_per_class(boxes, scores, classes, iou, max_keep):
    """Greedy NMS within each class, best first, at most `max_keep` boxes in all."""
    order = np.argsort(-scores, kind="stable")
    kept = []
    area = (boxes[:, 2] - boxes[:, 0]).clip(0) * (boxes[:, 3] - boxes[:, 1]).clip(0)
    for i in order:
        if len(kept) >= max_keep:
            break
        if kept:
            k = np.array(kept)
            k = k[classes[k] == classes[i]]
            if k.size:
                x1 = np.maximum(boxes[k, 0], boxes[i, 0])
                y1 = np.maximum(boxes[k, 1], boxes[i, 1])
                x2 = np.minimum(boxes[k, 2], boxes[i, 2])
                y2 = np.minimum(boxes[k, 3], boxes[i, 3])
                inter = (x2 - x1).clip(0) * (y2 - y1).clip(0)
                union = area[k] + area[i] - inter
                if np.any(inter > iou * np.maximum(union, 1e-9)):
                    continue
        kept.append(i)
    return np.array(kept, dtype=np.int64)


def postprocess(outs, cfg, frame_w, frame_h):
    """Boxes in the frame's pixels, scores and class ids after per-class NMS."""
    c = num_classes(cfg)
    thr = cfg.get("score_threshold", 0.5)
    boxes, scores, classes = DECODERS[cfg["output"]["format"]](outs, cfg, thr, c)
    keep = nms_per_class(boxes, scores, classes, cfg.get("nms_iou", 0.5), cfg.get("max_detections", 100))
    b = boxes[keep] * np.array(
        [frame_w / cfg["input"]["width"], frame_h / cfg["input"]["height"]] * 2, np.float32)
    b[:, [0, 2]] = b[:, [0, 2]].clip(0, frame_w)
    b[:, [1, 3]] = b[:, [1, 3]].clip(0, frame_h)
    ok = (b[:, 2] > b[:, 0]) & (b[:, 3] > b[:, 1])
    return b[ok], scores[keep][ok], classes[keep][ok]


def session(cfg_path, cfg, threads, spin):
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.add_session_config_entry("session.intra_op.allow_spinning", spin)
    return ort.InferenceSession(str(cfg_path.parent / cfg["file"]), so, providers=["CPUExecutionProvider"])


def full_detection(args):
    frames = sorted(Path(args.frames).glob("*.png"))
    if not frames:
        raise SystemExit(f"no PNG frames in {args.frames}")
    images = [Image.open(p).convert("RGB") for p in frames]
    for im in images:
        im.load()
    results = []
    for path in sorted((ROOT / "models").glob("*.toml")):
        cfg = tomllib.loads(path.read_text())
        if args.model and cfg["name"] not in args.model:
            continue
        sess = session(path, cfg, args.threads, "0")
        name = cfg["input"].get("name") or sess.get_inputs()[0].name
        out_names = [o.name for o in sess.get_outputs()]

        def detect(img):
            t0 = time.perf_counter()
            x = prepare(img, cfg)
            t1 = time.perf_counter()
            values = sess.run(None, {name: x})
            t2 = time.perf_counter()
            boxes, _, _ = postprocess(dict(zip(out_names, values)), cfg, img.size[0], img.size[1])
            t3 = time.perf_counter()
            return len(boxes), (t1 - t0, t2 - t1, t3 - t2, t3 - t0)

        for img in images[:3]:
            detect(img)
        times, found = [], 0
        start = time.perf_counter()
        for _ in range(args.passes):
            for img in images:
                n, t = detect(img)
                found += n
                times.append(t)
        wall = time.perf_counter() - start
        med = lambda i: statistics.median(t[i] for t in times) * 1000  # noqa: E731
        results.append({
            "name": cfg["name"],
            "frames": len(times),
            "median_ms": med(3),
            "fps": len(times) / wall,
            "preprocess_ms": med(0),
            "run_ms": med(1),
            "postprocess_ms": med(2),
            "detections_per_frame": found / len(times),
            "wall_s": wall,
            "detections": found,
            # per frame, ms: (preprocess, session.run, decode + NMS, total)
            "each_ms": [[round(v * 1000, 4) for v in t] for t in times],
        })
    report = {
        "onnxruntime": ort.__version__,
        "python": sys.version.split()[0],
        "threads": args.threads,
        "frame": list(images[0].size),
        "models": results,
    }
    if args.json:
        print(json.dumps(report))
        return
    print(f"onnxruntime {ort.__version__}; {len(images)} frames of {images[0].size[0]}x{images[0].size[1]}, "
          f"{args.passes} passes; {args.threads} threads, spinning off")
    print("| model | median ms | frames/s | preprocess | session.run | decode + NMS | detections/frame |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['name']} | {r['median_ms']:.1f} | {r['fps']:.1f} | {r['preprocess_ms']:.1f} | "
              f"{r['run_ms']:.1f} | {r['postprocess_ms']:.2f} | {r['detections_per_frame']:.2f} |")


def session_only(args):
    img = Image.open(args.frame).convert("RGB")
    print(f"onnxruntime {ort.__version__}; frame {img.size[0]}x{img.size[1]}; {args.iters} runs after 3 warm-ups")
    print("| model | threads | spinning | preprocess ms | session.run ms (median) |")
    print("|---|---|---|---|---|")
    for path in sorted((ROOT / "models").glob("*.toml")):
        cfg = tomllib.loads(path.read_text())
        if args.model and cfg["name"] not in args.model:
            continue
        for threads in (1, 2):
            for spin in ("0", "1"):
                sess = session(path, cfg, threads, spin)
                name = cfg["input"].get("name") or sess.get_inputs()[0].name
                t0 = time.perf_counter()
                x = prepare(img, cfg)
                pre = (time.perf_counter() - t0) * 1000
                for _ in range(3):
                    sess.run(None, {name: x})
                runs = []
                for _ in range(args.iters):
                    t = time.perf_counter()
                    sess.run(None, {name: x})
                    runs.append((time.perf_counter() - t) * 1000)
                print(f"| {cfg['name']} | {threads} | {'on' if spin == '1' else 'off'} | {pre:.1f} | {statistics.median(runs):.1f} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--iters", type=int, default=30, help="session-only mode: runs per configuration")
    ap.add_argument("--frame", default=str(ROOT / "target/throughput-frame.png"), help="session-only mode: the frame")
    ap.add_argument("--frames", help="full-detection mode: a directory of PNG frames")
    ap.add_argument("--threads", type=int, default=2, help="full-detection mode: intra-op threads")
    ap.add_argument("--passes", type=int, default=2, help="full-detection mode: passes over the frames")
    ap.add_argument("--model", action="append", help="only this model (by its config's name); repeatable")
    ap.add_argument("--json", action="store_true", help="full-detection mode: one JSON object on stdout")
    args = ap.parse_args()
    if args.frames:
        full_detection(args)
    else:
        session_only(args)


if __name__ == "__main__":
    main()
