//! The detection benchmark's footage, all made from OpenCV's vtest (people walking, 768x576,
//! 10 fps, ~80 s) into a temporary directory: H.264 clips for the RTSP server, PNG frames for the
//! per-model timing, and a still, empty scene (the per-pixel median of frames spread over the
//! clip, so the people are gone) encoded with mild temporal noise like a real sensor's.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// Where Debian's opencv-doc puts vtest; `.cache/footage/vtest.mp4` (the same footage,
/// re-encoded by `scripts/dev.sh setup`) is the fallback.
const VTEST: &str = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";

/// x264 as IP cameras code: no B-frames, a keyframe every 2 s at 10 fps.
const X264: &[&str] = &[
    "-an", "-c:v", "libx264", "-preset", "veryfast", "-bf", "0", "-g", "20", "-pix_fmt", "yuv420p",
];

pub struct Footage {
    dir: tempfile::TempDir,
    source: PathBuf,
    /// The source's length, frame count and rate.
    pub secs: f64,
    pub frames: usize,
    pub fps: f64,
    pub width: u32,
    pub height: u32,
}

fn ffmpeg(args: &[&OsStr]) -> Result<()> {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-nostdin", "-y"])
        .args(args)
        .stdout(Stdio::null())
        .output()
        .context("running ffmpeg")?;
    if !out.status.success() {
        bail!("ffmpeg failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

fn os<S: AsRef<OsStr> + ?Sized>(s: &S) -> &OsStr {
    s.as_ref()
}

impl Footage {
    pub fn new() -> Result<Footage> {
        let source = [
            PathBuf::from(VTEST),
            crate::root().join(".cache/footage/vtest.mp4"),
        ]
        .into_iter()
        .find(|p| p.is_file())
        .with_context(|| {
            format!("{VTEST} not found: install opencv-doc (scripts/dev.sh setup does)")
        })?;
        let out = Command::new("ffprobe")
            .args(["-v", "error", "-select_streams", "v:0", "-count_packets"])
            .args([
                "-show_entries",
                "stream=width,height,r_frame_rate,nb_read_packets",
            ])
            .args(["-of", "json"])
            .arg(&source)
            .output()
            .context("running ffprobe")?;
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        let s = &v["streams"][0];
        let frames: usize = s["nb_read_packets"]
            .as_str()
            .and_then(|n| n.parse().ok())
            .context("ffprobe: no packet count")?;
        let fps = s["r_frame_rate"]
            .as_str()
            .and_then(|r| {
                let (a, b) = r.split_once('/')?;
                Some(a.parse::<f64>().ok()? / b.parse::<f64>().ok()?)
            })
            .context("ffprobe: no frame rate")?;
        Ok(Footage {
            dir: tempfile::tempdir()?,
            secs: frames as f64 / fps,
            frames,
            fps,
            width: s["width"].as_u64().context("width")? as u32,
            height: s["height"].as_u64().context("height")? as u32,
            source,
        })
    }

    pub fn describe(&self) -> String {
        format!(
            "OpenCV's vtest ({}x{}, {:.0} fps, {:.1} s; people walking)",
            self.width, self.height, self.fps, self.secs
        )
    }

    /// vtest as H.264 lasting at least `min_secs`: the clip once when it is long enough, else
    /// looped (the loop point is a scene cut).
    pub fn clip(&self, min_secs: u64) -> Result<PathBuf> {
        let looped = min_secs as f64 > self.secs - 1.0;
        let out = self.dir.path().join(if looped {
            format!("vtest-{min_secs}s.mp4")
        } else {
            "vtest.mp4".into()
        });
        if out.is_file() {
            return Ok(out);
        }
        eprintln!("   encoding {}", out.display());
        let t = min_secs.to_string();
        let mut args: Vec<&OsStr> = vec![];
        if looped {
            args.extend([os("-stream_loop"), os("-1")]);
        }
        args.extend([os("-i"), self.source.as_os_str()]);
        if looped {
            args.extend([os("-t"), os(&t)]);
        }
        args.extend(X264.iter().map(os));
        args.push(out.as_os_str());
        ffmpeg(&args)?;
        Ok(out)
    }

    /// `n` frames spread evenly over the clip, as PNGs in a directory of their own.
    pub fn png_frames(&self, n: usize) -> Result<PathBuf> {
        let dir = self.dir.path().join(format!("frames-{n}"));
        if dir.is_dir() {
            return Ok(dir);
        }
        std::fs::create_dir_all(&dir)?;
        let step = (self.frames / n.max(1)).max(1);
        let filter = format!("select=not(mod(n\\,{step}))");
        let n_s = n.to_string();
        ffmpeg(&[
            os("-i"),
            self.source.as_os_str(),
            os("-vf"),
            os(&filter),
            os("-fps_mode"),
            os("passthrough"),
            os("-frames:v"),
            os(&n_s),
            dir.join("frame-%03d.png").as_os_str(),
        ])?;
        let got = std::fs::read_dir(&dir)?.count();
        if got != n {
            bail!("ffmpeg wrote {got} frames, {n} asked for");
        }
        Ok(dir)
    }

    /// The per-pixel median (each RGB channel) of `n` frames spread over the clip: the scene
    /// without the people who cross it. Written as PNG.
    pub fn empty_scene(&self, n: usize) -> Result<PathBuf> {
        let out = self.dir.path().join("empty-scene.png");
        if out.is_file() {
            return Ok(out);
        }
        let step = (self.frames / n.max(1)).max(1);
        let raw = Command::new("ffmpeg")
            .args(["-hide_banner", "-loglevel", "error", "-nostdin", "-i"])
            .arg(&self.source)
            .args(["-vf", &format!("select=not(mod(n\\,{step})),format=rgb24")])
            .args(["-fps_mode", "passthrough", "-frames:v", &n.to_string()])
            .args(["-f", "rawvideo", "-"])
            .stderr(Stdio::inherit())
            .output()
            .context("running ffmpeg")?
            .stdout;
        let size = self.width as usize * self.height as usize * 3;
        if raw.len() != size * n {
            bail!(
                "ffmpeg gave {} bytes, {} frames of {size} expected",
                raw.len(),
                n
            );
        }
        let mut median = vec![0u8; size];
        let mut column = vec![0u8; n];
        for (i, m) in median.iter_mut().enumerate() {
            for (k, c) in column.iter_mut().enumerate() {
                *c = raw[k * size + i];
            }
            column.sort_unstable();
            *m = column[n / 2];
        }
        image::RgbImage::from_raw(self.width, self.height, median)
            .context("image size")?
            .save(&out)?;
        Ok(out)
    }

    /// `secs` of a still picture at the source's frame rate, with mild temporal noise
    /// (`noise=alls=3:allf=t`: each frame's grain differs, as a sensor's does).
    pub fn still_clip(&self, picture: &Path, secs: u64) -> Result<PathBuf> {
        let out = self.dir.path().join(format!("still-{secs}s.mp4"));
        if out.is_file() {
            return Ok(out);
        }
        eprintln!("   encoding {}", out.display());
        let (rate, t) = (format!("{}", self.fps), secs.to_string());
        let mut args: Vec<&OsStr> = vec![
            os("-loop"),
            os("1"),
            os("-framerate"),
            os(&rate),
            os("-i"),
            picture.as_os_str(),
            os("-t"),
            os(&t),
            os("-vf"),
            os("noise=alls=3:allf=t"),
        ];
        args.extend(X264.iter().map(os));
        args.push(out.as_os_str());
        ffmpeg(&args)?;
        Ok(out)
    }
}
