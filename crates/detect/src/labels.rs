//! Built-in label lists a model config can name instead of listing labels itself.

/// The 80 COCO classes in the index order every COCO-80 detector uses (0 = person).
pub const COCO80: [&str; 80] = [
    "person",
    "bicycle",
    "car",
    "motorcycle",
    "airplane",
    "bus",
    "train",
    "truck",
    "boat",
    "traffic light",
    "fire hydrant",
    "stop sign",
    "parking meter",
    "bench",
    "bird",
    "cat",
    "dog",
    "horse",
    "sheep",
    "cow",
    "elephant",
    "bear",
    "zebra",
    "giraffe",
    "backpack",
    "umbrella",
    "handbag",
    "tie",
    "suitcase",
    "frisbee",
    "skis",
    "snowboard",
    "sports ball",
    "kite",
    "baseball bat",
    "baseball glove",
    "skateboard",
    "surfboard",
    "tennis racket",
    "bottle",
    "wine glass",
    "cup",
    "fork",
    "knife",
    "spoon",
    "bowl",
    "banana",
    "apple",
    "sandwich",
    "orange",
    "broccoli",
    "carrot",
    "hot dog",
    "pizza",
    "donut",
    "cake",
    "chair",
    "couch",
    "potted plant",
    "bed",
    "dining table",
    "toilet",
    "tv",
    "laptop",
    "mouse",
    "remote",
    "keyboard",
    "cell phone",
    "microwave",
    "oven",
    "toaster",
    "sink",
    "refrigerator",
    "book",
    "clock",
    "vase",
    "scissors",
    "teddy bear",
    "hair drier",
    "toothbrush",
];

/// A preset by name (`coco80`), if there is one.
pub fn preset(name: &str) -> Option<Vec<String>> {
    match name.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
        "coco80" | "coco" => Some(COCO80.iter().map(|s| s.to_string()).collect()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coco80_order_spot_checks() {
        assert_eq!(COCO80[0], "person");
        assert_eq!(COCO80[1], "bicycle");
        assert_eq!(COCO80[2], "car");
        assert_eq!(COCO80[7], "truck");
        assert_eq!(COCO80[16], "dog");
        assert_eq!(COCO80[79], "toothbrush");
        assert_eq!(preset("COCO-80").unwrap().len(), 80);
        assert!(preset("voc").is_none());
    }
}
