//! Annotated snapshots: the frame a detection came from with its boxes drawn on it and each box
//! labelled ("person 87%"), as a JPEG for the event list and the alert widget. Boxes are drawn
//! with `image`; the labels with a built-in 3×5 pixel font scaled up, so no font file ships.

use image::{Rgb, RgbImage};
use vigil_base::{Result, err};

use crate::geometry::BBox;

/// One box to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub bbox: BBox,
    pub label: String,
    pub score: f32,
    /// The detection the snapshot is about: drawn thicker and in the highlight colour.
    pub primary: bool,
}

/// Colour per label: people red, vehicles blue, animals green, anything else amber.
pub fn label_colour(label: &str) -> Rgb<u8> {
    match label {
        "person" => Rgb([235, 50, 50]),
        "car" | "truck" | "bus" | "motorcycle" | "bicycle" | "train" | "boat" | "airplane" => {
            Rgb([40, 120, 255])
        }
        "dog" | "cat" | "bird" | "horse" | "sheep" | "cow" | "bear" => Rgb([40, 200, 90]),
        _ => Rgb([255, 176, 0]),
    }
}

/// Draw `marks` onto `frame` (boxes in the frame's pixels).
pub fn draw(frame: &mut RgbImage, marks: &[Mark]) {
    let scale = (frame.width().max(frame.height()) / 320).clamp(1, 4);
    // Others first, so the primary box is on top.
    let mut order: Vec<&Mark> = marks.iter().collect();
    order.sort_by_key(|m| m.primary);
    for m in order {
        let colour = label_colour(&m.label);
        let thickness = if m.primary { scale + 1 } else { scale };
        draw_box(frame, &m.bbox, thickness, colour);
        let text = format!("{} {:.0}%", m.label, m.score * 100.0);
        let (x, y) = (m.bbox.x1.max(0.0) as i64, m.bbox.y1.max(0.0) as i64);
        let h = i64::from(5 * scale + 2 * scale);
        // Above the box if there is room, else inside its top edge.
        let top = if y >= h { y - h } else { y };
        draw_label(frame, x, top, &text, scale, colour);
    }
}

/// Encode as a baseline JPEG at `quality` (1–100).
pub fn encode_jpeg(frame: &RgbImage, quality: u8) -> Result<Vec<u8>> {
    let (w, h) = (frame.width(), frame.height());
    let (w16, h16) = (
        u16::try_from(w).map_err(|_| err!(InvalidArgument, "frame too wide for JPEG"))?,
        u16::try_from(h).map_err(|_| err!(InvalidArgument, "frame too tall for JPEG"))?,
    );
    let mut out = Vec::with_capacity((w * h / 8) as usize);
    jpeg_encoder::Encoder::new(&mut out, quality.clamp(1, 100))
        .encode(frame.as_raw(), w16, h16, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| err!(Internal, "encoding a snapshot: {e}"))?;
    Ok(out)
}

fn fill(frame: &mut RgbImage, x0: i64, y0: i64, x1: i64, y1: i64, colour: Rgb<u8>) {
    let (w, h) = (i64::from(frame.width()), i64::from(frame.height()));
    for y in y0.max(0)..y1.min(h) {
        for x in x0.max(0)..x1.min(w) {
            frame.put_pixel(x as u32, y as u32, colour);
        }
    }
}

fn draw_box(frame: &mut RgbImage, b: &BBox, t: u32, colour: Rgb<u8>) {
    let (x1, y1, x2, y2) = (b.x1 as i64, b.y1 as i64, b.x2 as i64, b.y2 as i64);
    let t = i64::from(t);
    fill(frame, x1, y1, x2, y1 + t, colour);
    fill(frame, x1, y2 - t, x2, y2, colour);
    fill(frame, x1, y1, x1 + t, y2, colour);
    fill(frame, x2 - t, y1, x2, y2, colour);
}

/// Text on a filled strip of `colour`, in white or black, whichever reads better.
fn draw_label(frame: &mut RgbImage, x: i64, y: i64, text: &str, scale: u32, colour: Rgb<u8>) {
    let s = i64::from(scale);
    let advance = 4 * s;
    let width = text.chars().count() as i64 * advance + s;
    fill(frame, x, y, x + width, y + 7 * s, colour);
    let luma = 299 * u32::from(colour[0]) + 587 * u32::from(colour[1]) + 114 * u32::from(colour[2]);
    let ink = if luma > 150_000 {
        Rgb([0, 0, 0])
    } else {
        Rgb([255, 255, 255])
    };
    for (i, c) in text.chars().enumerate() {
        let Some(bits) = glyph(c) else { continue };
        let gx = x + s + i as i64 * advance;
        for (row, cols) in bits.as_bytes().chunks(3).enumerate() {
            for (col, &b) in cols.iter().enumerate() {
                if b == b'1' {
                    let px = gx + col as i64 * s;
                    let py = y + s + row as i64 * s;
                    fill(frame, px, py, px + s, py + s, ink);
                }
            }
        }
    }
}

/// A 3×5 glyph as 15 '0'/'1's, rows top to bottom. Letters are drawn lower-case.
fn glyph(c: char) -> Option<&'static str> {
    Some(match c.to_ascii_lowercase() {
        '0' => "111101101101111",
        '1' => "010110010010111",
        '2' => "111001111100111",
        '3' => "111001111001111",
        '4' => "101101111001001",
        '5' => "111100111001111",
        '6' => "111100111101111",
        '7' => "111001001001001",
        '8' => "111101111101111",
        '9' => "111101111001111",
        'a' => "010101111101101",
        'b' => "110101110101110",
        'c' => "011100100100011",
        'd' => "110101101101110",
        'e' => "111100110100111",
        'f' => "111100110100100",
        'g' => "011100101101011",
        'h' => "101101111101101",
        'i' => "111010010010111",
        'j' => "001001001101010",
        'k' => "101101110101101",
        'l' => "100100100100111",
        'm' => "101111111101101",
        'n' => "110101101101101",
        'o' => "010101101101010",
        'p' => "110101110100100",
        'q' => "010101101110011",
        'r' => "110101110101101",
        's' => "011100010001110",
        't' => "111010010010010",
        'u' => "101101101101111",
        'v' => "101101101101010",
        'w' => "101101111111101",
        'x' => "101101010101101",
        'y' => "101101010010010",
        'z' => "111001010100111",
        '.' => "000000000000010",
        '%' => "101001010100101",
        '-' => "000000111000000",
        ':' => "000010000010000",
        '_' => "000000000000111",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_and_labels_are_drawn_inside_the_frame() {
        let mut img = RgbImage::from_pixel(320, 240, Rgb([128, 128, 128]));
        draw(
            &mut img,
            &[
                Mark {
                    bbox: BBox::new(50.0, 60.0, 120.0, 200.0),
                    label: "person".into(),
                    score: 0.87,
                    primary: true,
                },
                // Partly outside: clipped, no panic.
                Mark {
                    bbox: BBox::new(-20.0, -5.0, 400.0, 300.0),
                    label: "car".into(),
                    score: 0.5,
                    primary: false,
                },
            ],
        );
        assert_eq!(*img.get_pixel(50, 130), label_colour("person"));
        assert_eq!(*img.get_pixel(119, 130), label_colour("person"));
        assert_eq!(*img.get_pixel(85, 199), label_colour("person"));
        assert_eq!(*img.get_pixel(85, 130), Rgb([128, 128, 128]));
        // The label strip sits above the box and holds ink of another colour.
        let strip: Vec<_> = (50..110).map(|x| *img.get_pixel(x, 55)).collect();
        assert!(strip.contains(&label_colour("person")));
        assert!(strip.contains(&Rgb([255, 255, 255])));
        let jpeg = encode_jpeg(&img, 80).unwrap();
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
        let back = image::load_from_memory(&jpeg).unwrap();
        assert_eq!((back.width(), back.height()), (320, 240));
    }

    #[test]
    fn every_glyph_is_fifteen_bits() {
        for c in "0123456789abcdefghijklmnopqrstuvwxyz.%-:_".chars() {
            let g = glyph(c).unwrap();
            assert_eq!(g.len(), 15, "{c}");
            assert!(g.bytes().all(|b| b == b'0' || b == b'1'), "{c}");
        }
        assert!(glyph('€').is_none());
    }
}
