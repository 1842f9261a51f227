//! Draws `lljit compare` results as a PNG bar chart: one bar per mode
//! (median wall time) with a min–max whisker.

use crate::compare::{ModeResult, BASELINE};
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::path::Path;
use std::sync::OnceLock;

/// Fonts tried, in order (Debian's `fonts-dejavu-core` installs the first).
const FONTS: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
];

fn register_font() -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        let bytes = FONTS
            .iter()
            .find_map(|p| std::fs::read(p).ok())
            .ok_or_else(|| format!("no TrueType font found (looked for {})", FONTS.join(", ")))?;
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        plotters::style::register_font("sans-serif", FontStyle::Normal, bytes)
            .map_err(|_| "the font could not be loaded".to_string())
    })
    .clone()
}

/// Writes the chart to `out`.
pub fn bar_chart(out: &Path, title: &str, results: &[ModeResult]) -> Result<(), String> {
    register_font()?;
    let e = |x: &dyn std::fmt::Display| x.to_string();
    let root = BitMapBackend::new(out, (1000, 560)).into_drawing_area();
    root.fill(&WHITE).map_err(|x| e(&x))?;
    let top = results
        .iter()
        .map(|r| r.max().as_secs_f64())
        .fold(0.0, f64::max)
        * 1.15
        + 1e-3;
    let n = results.len();
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("{title}: wall time per mode (median, min–max)"),
            ("sans-serif", 22),
        )
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..top)
        .map_err(|x| e(&x))?;
    let names: Vec<String> = results.iter().map(|r| r.name.clone()).collect();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&|x| {
            let i = x.round() as i64;
            if (x - i as f64).abs() < 1e-6 && i >= 0 && (i as usize) < names.len() {
                names[i as usize].clone()
            } else {
                String::new()
            }
        })
        .y_desc("seconds")
        .label_style(("sans-serif", 15))
        .draw()
        .map_err(|x| e(&x))?;
    let base = results
        .iter()
        .find(|r| r.name == BASELINE)
        .map(|r| r.median().as_secs_f64())
        .unwrap_or(0.0);
    for (i, r) in results.iter().enumerate() {
        let x = i as f64;
        let color = if r.name.starts_with("jit") {
            RGBColor(214, 96, 77)
        } else {
            RGBColor(67, 147, 195)
        };
        let med = r.median().as_secs_f64();
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(x - 0.3, 0.0), (x + 0.3, med)],
                color.filled(),
            )))
            .map_err(|x| e(&x))?;
        let (lo, hi) = (r.min().as_secs_f64(), r.max().as_secs_f64());
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x, lo), (x, hi)],
                BLACK.stroke_width(2),
            )))
            .map_err(|x| e(&x))?;
        let label = if base > 0.0 && med > 0.0 {
            format!("{med:.3}s  {:.2}x", base / med)
        } else {
            format!("{med:.3}s")
        };
        chart
            .draw_series(std::iter::once(Text::new(
                label,
                (x - 0.28, hi + top * 0.02),
                ("sans-serif", 15),
            )))
            .map_err(|x| e(&x))?;
    }
    root.present().map_err(|x| e(&x))?;
    Ok(())
}
