//! Pictures without a window: runs the real [`EventAtlasApp::ui`] on a plain `egui::Context`
//! (no window, no GPU, no display), tessellates what it draws and paints the meshes on the CPU
//! ([`raster`]) into a PNG. For `event-atlas render`, reports and CI. Animations ([`frames`],
//! [`animation`]) draw many pictures through one [`Headless`] context.

pub mod animation;
pub mod args;
pub mod frames;
pub mod raster;

use std::path::{Path, PathBuf};

use egui::{Theme, ViewportId};

use crate::command::Command;
use crate::io::{ImportOptions, LoadError};
use crate::model::TimeRange;
use crate::model::calendar::format_day;
pub use raster::{Canvas, Textures};

/// The picture's size when none is given: the window's size at start-up.
pub const DEFAULT_SIZE: [u32; 2] = [1360, 860];

/// Frames run at most before painting: the first lays out and loads the fonts, later ones
/// settle what depends on last frame's sizes (panels, the timeline's span).
const MAX_PASSES: usize = 8;

/// Frames run at least for the first picture, even when egui asks for no repaint.
const MIN_PASSES: usize = 2;

/// Why a picture could not be made.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(
        "--at '{text}': {reason} (write a date such as 2024-03-22, 2024-03-22T18:00 or 2024-03)"
    )]
    BadDate { text: String, reason: String },
    #[error("--size '{0}': write width x height in pixels, e.g. 1360x860 (each side 16 to 8192)")]
    BadSize(String),
    #[error("--window '{0}': write a number of days greater than 0, e.g. 14 or 0.5")]
    BadWindow(String),
    #[error(
        "--scale '{0}': write the pixels per point, from 0.5 to 4 (e.g. 2 for a sharper picture)"
    )]
    BadScale(String),
    #[error("--select '{id}': no event in “{dataset}” has this id")]
    UnknownEvent { id: String, dataset: String },
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("{file}: {message}")]
    NotShown { file: String, message: String },
    #[error("could not write {path}: {reason}")]
    Write { path: PathBuf, reason: String },
    #[error(transparent)]
    Plan(#[from] frames::PlanError),
    #[error(
        "{0} holds other files: give an empty or new folder, or --force to write the frames there (its old frame-*.png files are removed first)"
    )]
    FolderNotEmpty(PathBuf),
    #[error("{0} exists: give another name, or --force to replace it")]
    Exists(PathBuf),
    #[error("{0} is the dataset being drawn: it is never written over")]
    WouldOverwriteSource(PathBuf),
    #[error("{0} is the story file of the dataset being drawn: it is never written over")]
    WouldOverwriteStory(PathBuf),
    #[error("cancelled: nothing was written")]
    Cancelled,
}

impl RenderError {
    /// The message, one line per problem (a file that does not load may have several).
    pub fn lines(&self) -> Vec<String> {
        match self {
            RenderError::Load(error) => error.lines(),
            other => vec![other.to_string()],
        }
    }
}

/// What to draw and how big.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RenderRequest {
    /// The dataset file; `None` draws the built-in story.
    pub file: Option<PathBuf>,
    /// The columns (or sheet) of a table, as for opening it.
    pub import: ImportOptions,
    /// The playhead, Unix seconds (`None`: at the end of the data, as the app opens).
    pub at: Option<i64>,
    /// The time window, seconds (`None`: the app's default).
    pub window: Option<i64>,
    /// The id of the event to select (shown in the details panel).
    pub select: Option<String>,
    pub picture: Picture,
}

/// The picture's size, sharpness and theme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Picture {
    /// Width and height in pixels.
    pub size: [u32; 2],
    /// Pixels per point (1: as on a standard-density screen).
    pub pixels_per_point: f32,
    pub theme: Theme,
}

impl Default for Picture {
    fn default() -> Self {
        Self {
            size: DEFAULT_SIZE,
            pixels_per_point: 1.0,
            theme: Theme::Dark,
        }
    }
}

/// A picture, and what the user should know about it.
#[derive(Debug)]
pub struct Rendered {
    pub canvas: Canvas,
    /// E.g. that `--at` was outside the data, so the playhead stopped at its end.
    pub notes: Vec<String>,
}

/// What the headless renderer draws: a UI run frame after frame (the app implements it beside
/// its animation export), changed only through commands. The renderer knows no more of the app,
/// so that the app can use the renderer for its own exports.
pub trait Scene {
    /// Draws one frame (and applies what it asked for).
    fn ui(&mut self, ui: &mut egui::Ui);
    /// Applies one command, as a panel's would be.
    fn apply(&mut self, command: Command);
    /// Work the picture must wait for (a filter computed on another thread).
    fn busy(&self) -> bool;
}

/// The text of a story step, drawn as a band at the bottom of its frames.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Caption {
    pub title: String,
    pub text: String,
}

/// Says so when `at` is outside the data: the playhead stops at its start or end, as in the app.
pub fn outside_the_data(at: i64, extent: Option<TimeRange>) -> Option<String> {
    let extent = extent?;
    let (side, edge) = if at < extent.start {
        ("before the data, which starts", extent.start)
    } else if at >= extent.end {
        ("after the data, which ends", extent.end - 1)
    } else {
        return None;
    };
    Some(format!(
        "--at {} is {side} {}: the playhead is there",
        format_day(at),
        format_day(edge)
    ))
}

/// Draws `scene` as its window would show it, at `picture`'s size, without a window.
pub fn render_app(scene: &mut impl Scene, picture: &Picture) -> Canvas {
    Headless::new(*picture).draw(scene, None)
}

/// How long a picture waits for work on other threads (a filter) before it is drawn anyway.
const BUSY_DEADLINE: std::time::Duration = std::time::Duration::from_secs(60);

/// One egui context and its textures (fonts) kept across the pictures of an animation: each
/// picture only runs the frames it needs, without laying out the fonts again.
pub struct Headless {
    ctx: egui::Context,
    textures: Textures,
    picture: Picture,
    /// Frames run so far (egui's clock moves on at 60 frames a second).
    passes: usize,
}

impl Headless {
    pub fn new(picture: Picture) -> Self {
        let ctx = egui::Context::default();
        ctx.set_theme(picture.theme);
        ctx.all_styles_mut(|style| {
            // Still pictures: animations at their end, no blinking cursor.
            style.animation_time = 0.0;
            style.scroll_animation = egui::style::ScrollAnimation::none();
            style.visuals.text_cursor.blink = false;
        });
        Self {
            ctx,
            textures: Textures::default(),
            picture,
            passes: 0,
        }
    }

    pub fn picture(&self) -> &Picture {
        &self.picture
    }

    /// Runs `scene` until it settles (and what it waits for is done), with `caption` as a band
    /// at the bottom, and paints the last frame.
    pub fn draw(&mut self, scene: &mut impl Scene, caption: Option<&Caption>) -> Canvas {
        // The first picture lays out the fonts and the panels; later ones only change the view.
        let min_passes = if self.passes == 0 { MIN_PASSES } else { 1 };
        let busy_until = std::time::Instant::now() + BUSY_DEADLINE;
        let mut passes = 0;
        let mut output = loop {
            let input = frame_input(&self.picture, self.passes);
            let mut output = self.ctx.run_ui(input, |ui| {
                if let Some(caption) = caption {
                    caption_band_ui(ui, caption);
                }
                scene.ui(ui);
            });
            // Patches build on earlier frames' textures (the font atlas grows as text appears).
            self.textures.apply_sets(&mut output.textures_delta);
            self.passes += 1;
            passes += 1;
            let waiting = scene.busy() && std::time::Instant::now() < busy_until;
            if waiting {
                std::thread::sleep(std::time::Duration::from_millis(5));
            } else if passes >= MAX_PASSES || (passes >= min_passes && !wants_repaint(&output)) {
                break output;
            }
            self.textures.apply_frees(&mut output.textures_delta);
        };
        let primitives = self.ctx.tessellate(output.shapes, output.pixels_per_point);
        let [width, height] = self.picture.size;
        // What is under the panels (they cover the window): opaque, as a screenshot is.
        let background = self.ctx.global_style().visuals.panel_fill.to_opaque();
        let mut canvas = Canvas::new(width as usize, height as usize, background);
        raster::paint(
            &mut canvas,
            &self.textures,
            &primitives,
            output.pixels_per_point,
        );
        self.textures.apply_frees(&mut output.textures_delta);
        canvas
    }
}

/// A story step's title and text in a band across the bottom of the picture.
fn caption_band_ui(ui: &mut egui::Ui, caption: &Caption) {
    egui::Panel::bottom("story-caption").show(ui, |ui| {
        ui.add_space(6.0);
        ui.label(egui::RichText::new(&caption.title).heading().strong());
        if !caption.text.is_empty() {
            ui.label(&caption.text);
        }
        ui.add_space(6.0);
    });
}

/// The input of one frame: the screen, and time moving on at 60 frames a second.
fn frame_input(picture: &Picture, frame: usize) -> egui::RawInput {
    let [width, height] = picture.size;
    let size = egui::vec2(width as f32, height as f32) / picture.pixels_per_point;
    let mut input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, size)),
        time: Some(frame as f64 / 60.0),
        predicted_dt: 1.0 / 60.0,
        system_theme: Some(picture.theme),
        ..Default::default()
    };
    if let Some(viewport) = input.viewports.get_mut(&ViewportId::ROOT) {
        viewport.native_pixels_per_point = Some(picture.pixels_per_point);
    }
    input
}

/// Whether egui asked to be run again at once (something still settling).
fn wants_repaint(output: &egui::FullOutput) -> bool {
    output
        .viewport_output
        .get(&ViewportId::ROOT)
        .is_some_and(|viewport| viewport.repaint_delay.is_zero())
}

/// The picture as PNG bytes (RGBA, 8 bits a channel).
pub fn encode_png(canvas: &Canvas) -> Result<Vec<u8>, image::ImageError> {
    use image::ImageEncoder;
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bytes).write_image(
        &canvas.to_rgba_bytes(),
        canvas.width() as u32,
        canvas.height() as u32,
        image::ExtendedColorType::Rgba8,
    )?;
    Ok(bytes)
}

/// Writes the picture as a PNG at `path`: first to a temporary file beside it, then renamed,
/// so that a reader never sees half a picture.
pub fn write_png(canvas: &Canvas, path: &Path) -> Result<(), RenderError> {
    let failed = |reason: String| RenderError::Write {
        path: path.to_path_buf(),
        reason,
    };
    let bytes = encode_png(canvas).map_err(|error| failed(error.to_string()))?;
    let name = path
        .file_name()
        .ok_or_else(|| failed("it names no file".to_owned()))?;
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(name);
    temporary_name.push(format!(".{}.tmp", std::process::id()));
    let temporary = path.with_file_name(temporary_name);
    let written =
        std::fs::write(&temporary, &bytes).and_then(|()| std::fs::rename(&temporary, path));
    written.map_err(|error| {
        // Nothing to clean up if the temporary file was never made.
        std::fs::remove_file(&temporary).ok();
        failed(error.to_string())
    })
}
