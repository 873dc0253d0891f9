#!/usr/bin/env python3
"""Python onnxruntime baseline for crates/detect's throughput example: the same models, the same
frame (target/throughput-frame.png, written by the example), 1 and 2 intra-op threads, spinning off
(as Vigil runs) and on (onnxruntime's default). Needs `pip install onnxruntime==1.31.1 numpy pillow`.

    python3 crates/detect/scripts/ort_baseline.py [--iters 30]
"""
import argparse
import statistics
import time
import tomllib
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image

ROOT = Path(__file__).resolve().parents[3]


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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iters", type=int, default=30)
    ap.add_argument("--frame", default=str(ROOT / "target/throughput-frame.png"))
    args = ap.parse_args()
    img = Image.open(args.frame).convert("RGB")
    print(f"onnxruntime {ort.__version__}; frame {img.size[0]}x{img.size[1]}; {args.iters} runs after 3 warm-ups")
    print("| model | threads | spinning | preprocess ms | session.run ms (median) |")
    print("|---|---|---|---|---|")
    for path in sorted((ROOT / "models").glob("*.toml")):
        cfg = tomllib.loads(path.read_text())
        for threads in (1, 2):
            for spin in ("0", "1"):
                so = ort.SessionOptions()
                so.intra_op_num_threads = threads
                so.inter_op_num_threads = 1
                so.add_session_config_entry("session.intra_op.allow_spinning", spin)
                sess = ort.InferenceSession(str(path.parent / cfg["file"]), so, providers=["CPUExecutionProvider"])
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


if __name__ == "__main__":
    main()
