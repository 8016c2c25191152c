//! Default colours of categories a file gives no colour for.
//!
//! The first seven are colour-blind safe (Okabe–Ito, without its black and grey); after them,
//! hues step by the golden angle (so each new one lands far from those before) on three
//! lightness levels, at a chroma that is never grey: a grey would look like "uncategorised".

/// The first colours, in order.
const FIRST: [[u8; 3]; 7] = [
    [0, 114, 178],
    [213, 94, 0],
    [0, 158, 115],
    [204, 121, 167],
    [230, 159, 0],
    [86, 180, 233],
    [120, 94, 240],
];

/// OKLCH lightness levels the generated colours cycle through, chroma and first hue (degrees).
const LIGHTNESS: [f64; 3] = [0.78, 0.58, 0.68];
const CHROMA: f64 = 0.12;
const FIRST_HUE: f64 = 150.0;
/// 360° / φ²: consecutive hues are as far apart from all earlier ones as they can be.
const GOLDEN_ANGLE: f64 = 137.507_764_050_037_85;

/// The colour (sRGB) of the `position`-th category when the file gives none. Deterministic,
/// distinct from the others and never grey, however many categories there are.
pub fn category_color(position: usize) -> [u8; 3] {
    if let Some(&color) = FIRST.get(position) {
        return color;
    }
    let n = position - FIRST.len();
    let [light, dark, middle] = LIGHTNESS;
    let lightness = match n % 3 {
        0 => light,
        1 => dark,
        _ => middle,
    };
    let hue = (FIRST_HUE + n as f64 * GOLDEN_ANGLE) % 360.0;
    srgb_from_oklch(lightness, CHROMA, hue)
}

/// Converts OKLCH (perceptual lightness, chroma, hue in degrees) to sRGB, clipping to the gamut.
fn srgb_from_oklch(lightness: f64, chroma: f64, hue: f64) -> [u8; 3] {
    let (a, b) = (
        chroma * hue.to_radians().cos(),
        chroma * hue.to_radians().sin(),
    );
    let l = (lightness + 0.396_337_777_4 * a + 0.215_803_757_3 * b).powi(3);
    let m = (lightness - 0.105_561_345_8 * a - 0.063_854_172_8 * b).powi(3);
    let s = (lightness - 0.089_484_177_5 * a - 1.291_485_548 * b).powi(3);
    let linear = [
        4.076_741_662_1 * l - 3.307_711_591_3 * m + 0.230_969_929_2 * s,
        -1.268_438_004_6 * l + 2.609_757_401_1 * m - 0.341_319_396_5 * s,
        -0.004_196_086_3 * l - 0.703_418_614_7 * m + 1.707_614_701 * s,
    ];
    linear.map(|channel| {
        let channel = channel.clamp(0.0, 1.0);
        let encoded = if channel <= 0.003_130_8 {
            12.92 * channel
        } else {
            1.055 * channel.powf(1.0 / 2.4) - 0.055
        };
        (encoded * 255.0).round() as u8
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// sRGB to OKLab, where distance matches how different colours look.
    fn oklab(rgb: [u8; 3]) -> [f64; 3] {
        let [r, g, b] = rgb.map(|c| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        });
        let l = (0.412_221_470_8 * r + 0.536_332_536_3 * g + 0.051_445_992_9 * b).cbrt();
        let m = (0.211_903_498_2 * r + 0.680_699_545_1 * g + 0.107_396_956_6 * b).cbrt();
        let s = (0.088_302_461_9 * r + 0.281_718_837_6 * g + 0.629_978_700_5 * b).cbrt();
        [
            0.210_454_255_3 * l + 0.793_617_785 * m - 0.004_072_046_8 * s,
            1.977_998_495_1 * l - 2.428_592_205 * m + 0.450_593_709_9 * s,
            0.025_904_037_1 * l + 0.782_771_766_2 * m - 0.808_675_766 * s,
        ]
    }

    fn distance(a: [f64; 3], b: [f64; 3]) -> f64 {
        a.iter()
            .zip(&b)
            .map(|(x, y)| (x - y).powi(2))
            .sum::<f64>()
            .sqrt()
    }

    #[test]
    fn the_first_24_are_clearly_distinct_and_none_is_grey() {
        let colors: Vec<[u8; 3]> = (0..24).map(category_color).collect();
        let labs: Vec<[f64; 3]> = colors.iter().map(|&c| oklab(c)).collect();
        // The "uncategorised" grey, and black and white, are not category colours either.
        let greys = [[110, 110, 110], [90, 90, 90], [0, 0, 0], [255, 255, 255]].map(oklab);
        for (i, lab) in labs.iter().enumerate() {
            let chroma = lab[1].hypot(lab[2]);
            assert!(chroma > 0.08, "{i}: {:?} is greyish ({chroma})", colors[i]);
            for grey in greys {
                assert!(distance(*lab, grey) > 0.1, "{i}: {:?}", colors[i]);
            }
            for (j, other) in labs.iter().enumerate().take(i) {
                // 0.02 is about the least difference one notices; 0.05 is clearly different.
                let apart = distance(*lab, *other);
                assert!(
                    apart > 0.05,
                    "{j} {:?} and {i} {:?} look alike ({apart})",
                    colors[j],
                    colors[i]
                );
            }
        }
    }

    #[test]
    fn colours_are_deterministic_and_start_with_the_safe_ones() {
        assert_eq!(category_color(0), [0, 114, 178]);
        assert_eq!(category_color(6), [120, 94, 240]);
        assert_eq!(category_color(100), category_color(100));
        assert_ne!(category_color(7), category_color(8));
    }
}
