#![allow(clippy::unwrap_used, clippy::expect_used)]
use event_atlas::app::EventAtlasApp;
use std::time::Instant;
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let mut app = EventAtlasApp::new(Default::default());
    let t = Instant::now();
    let loaded = event_atlas::io::load_path(std::path::Path::new(&path));
    let t_load = t.elapsed();
    let ok = app.accept_for_timing(loaded);
    let t_accept = t.elapsed();
    let ctx = egui::Context::default();
    let input = egui::RawInput { screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1400.0, 900.0))), ..Default::default() };
    let out = ctx.run_ui(input, |ui| app.ui(ui));
    let _ = ctx.tessellate(out.shapes, 1.0);
    let t_frame = t.elapsed();
    eprintln!("ok={ok} load {:?} accept {:?} first frame {:?}", t_load, t_accept - t_load, t_frame - t_accept);
}
