//! Animations written from a [`FramePlan`]: an animated GIF (one palette for every frame,
//! looping forever, each frame's own delay) or a folder of numbered PNGs at a constant frame
//! rate. Frames are drawn one after the other through one [`Headless`] context, applying each
//! frame's view to the app with the same commands as the app's preview.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::frames::{FramePlan, FrameView, frame_commands};
use super::{Canvas, Caption, Headless, Picture, RenderError, Scene};
use crate::io::export::{WriteError, write_atomically};
use crate::model::Story;

/// How many colours NeuQuant looks at: one pixel in this many (1 is best and slowest).
const PALETTE_SAMPLING: i32 = 10;
/// Bits kept of each colour channel in the table from colours to palette entries.
const LOOKUP_BITS: u32 = 6;
/// Marks a colour not looked up yet.
const NOT_LOOKED_UP: u16 = u16::MAX;

/// Where an animation goes: a GIF file, or a folder of PNGs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnimationOutput {
    Gif(PathBuf),
    PngFolder(PathBuf),
}

impl AnimationOutput {
    /// A path ending in `.gif` is a GIF; anything else a folder of PNGs.
    pub fn for_path(path: &Path) -> Self {
        let is_gif = path
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("gif"));
        if is_gif {
            Self::Gif(path.to_path_buf())
        } else {
            Self::PngFolder(path.to_path_buf())
        }
    }

    pub fn path(&self) -> &Path {
        match self {
            Self::Gif(path) | Self::PngFolder(path) => path,
        }
    }
}

/// How far an export has come, shared with the thread writing it; and the way to stop it.
#[derive(Debug, Default)]
pub struct AnimationProgress {
    done: AtomicUsize,
    total: AtomicUsize,
    cancelled: AtomicBool,
}

impl AnimationProgress {
    /// Frames drawn, and frames in all.
    pub fn frames(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    /// The part done, from 0 to 1.
    pub fn fraction(&self) -> f32 {
        let (done, total) = self.frames();
        if total == 0 {
            0.0
        } else {
            done as f32 / total as f32
        }
    }

    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

/// Where and how to write.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WriteOptions {
    /// Replace a GIF that exists; write into a folder that holds other files.
    pub replace: bool,
    /// The dataset's own file, never written over.
    pub protected: Option<PathBuf>,
}

/// What was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// Frames drawn.
    pub frames: usize,
    /// Files written (a PNG sequence repeats a held frame to keep its frame rate).
    pub files: usize,
    pub size: [u32; 2],
}

impl Written {
    /// E.g. "38 frames, 960×600".
    pub fn line(&self) -> String {
        let [width, height] = self.size;
        let frames = if self.frames == 1 { "frame" } else { "frames" };
        if self.files == self.frames || self.files <= 1 {
            format!("{} {frames}, {width}×{height}", self.frames)
        } else {
            format!(
                "{} {frames} in {} files, {width}×{height}",
                self.frames, self.files
            )
        }
    }
}

/// The captions of a story's steps, by position.
pub fn captions(story: &Story) -> Vec<Caption> {
    story
        .steps
        .iter()
        .map(|step| Caption {
            title: step.title.clone(),
            text: step.text.clone(),
        })
        .collect()
}

/// Draws the frames of a plan, one after the other, with one context for all of them.
pub struct FrameRenderer<'a, S: Scene> {
    scene: &'a mut S,
    headless: Headless,
    captions: Vec<Caption>,
}

impl<'a, S: Scene> FrameRenderer<'a, S> {
    pub fn new(scene: &'a mut S, picture: Picture, captions: Vec<Caption>) -> Self {
        Self {
            scene,
            headless: Headless::new(picture),
            captions,
        }
    }

    /// Puts `frame` on screen (the preview's commands) and draws it, with its step's caption.
    pub fn draw(&mut self, frame: &FrameView) -> Canvas {
        for command in frame_commands(frame) {
            self.scene.apply(command);
        }
        let caption = frame.step.and_then(|step| self.captions.get(step));
        self.headless.draw(self.scene, caption)
    }
}

/// Writes every frame of `plan` to `output`.
pub fn write_animation<S: Scene>(
    renderer: &mut FrameRenderer<'_, S>,
    plan: &FramePlan,
    output: &AnimationOutput,
    options: &WriteOptions,
    progress: &AnimationProgress,
) -> Result<Written, RenderError> {
    progress.total.store(plan.len(), Ordering::Relaxed);
    progress.done.store(0, Ordering::Relaxed);
    match output {
        AnimationOutput::Gif(path) => write_gif(renderer, plan, path, options, progress),
        AnimationOutput::PngFolder(folder) => {
            write_png_folder(renderer, plan, folder, options, progress)
        }
    }
}

fn write_gif<S: Scene>(
    renderer: &mut FrameRenderer<'_, S>,
    plan: &FramePlan,
    path: &Path,
    options: &WriteOptions,
    progress: &AnimationProgress,
) -> Result<Written, RenderError> {
    // Said before any frame is drawn (writing says it again, atomically).
    if let Some(source) = &options.protected
        && same_file(path, source)
    {
        return Err(RenderError::WouldOverwriteSource(path.to_path_buf()));
    }
    if !options.replace && path.exists() {
        return Err(RenderError::Exists(path.to_path_buf()));
    }
    let size = renderer.headless.picture().size;
    let [width, height] = size.map(|side| u16::try_from(side).unwrap_or(u16::MAX));
    // Frames drawn to choose the palette are kept for when their turn comes.
    let mut drawn = sample_frames(renderer, plan);
    let samples: Vec<&Canvas> = drawn.values().collect();
    let palette = Palette::from_frames(&samples);
    let written = write_atomically(path, options.protected.as_deref(), options.replace, |out| {
        let mut encoder = gif::Encoder::new(out, width, height, &palette.rgb)
            .map_err(|error| error.to_string())?;
        encoder
            .set_repeat(gif::Repeat::Infinite)
            .map_err(|error| error.to_string())?;
        let mut lookup = palette.lookup();
        for (index, frame) in plan.iter().enumerate() {
            if progress.is_cancelled() {
                return Err(CANCELLED.to_owned());
            }
            let canvas = drawn
                .remove(&index)
                .unwrap_or_else(|| renderer.draw(&frame));
            let gif_frame = gif::Frame {
                width,
                height,
                // GIF delays are in hundredths of a second.
                delay: u16::try_from(frame.delay_ms.div_ceil(10)).unwrap_or(u16::MAX),
                buffer: std::borrow::Cow::Owned(lookup.indexes(&palette, &canvas)),
                ..gif::Frame::default()
            };
            encoder
                .write_frame(&gif_frame)
                .map_err(|error| error.to_string())?;
            progress.done.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    });
    written.map_err(|error| write_error(error, path))?;
    Ok(Written {
        frames: plan.len(),
        files: 1,
        size,
    })
}

/// Said by the writer when the user cancelled (told apart from real failures).
const CANCELLED: &str = "cancelled";

fn write_error(error: WriteError, path: &Path) -> RenderError {
    match error {
        WriteError::Exists { .. } => RenderError::Exists(path.to_path_buf()),
        WriteError::WouldOverwriteSource { .. } => {
            RenderError::WouldOverwriteSource(path.to_path_buf())
        }
        WriteError::Failed { message, .. } if message == CANCELLED => RenderError::Cancelled,
        other => RenderError::Write {
            path: path.to_path_buf(),
            reason: other.to_string(),
        },
    }
}

/// The first, middle and last frames, drawn: what the palette is chosen from.
fn sample_frames<S: Scene>(
    renderer: &mut FrameRenderer<'_, S>,
    plan: &FramePlan,
) -> HashMap<usize, Canvas> {
    let last = plan.len().saturating_sub(1);
    let mut indexes = vec![0, last / 2, last];
    indexes.dedup();
    indexes
        .into_iter()
        .filter_map(|index| Some((index, renderer.draw(&plan.frame(index)?))))
        .collect()
}

/// One palette of 256 colours for every frame of a GIF, chosen by NeuQuant from a few frames.
/// One palette (not one a frame) because quantising a frame costs more than drawing it, and
/// because colours that stay the same from frame to frame do not flicker.
struct Palette {
    quantizer: color_quant::NeuQuant,
    /// Red, green, blue of each entry.
    rgb: Vec<u8>,
}

impl Palette {
    fn from_frames(frames: &[&Canvas]) -> Self {
        let pixels: Vec<u8> = frames
            .iter()
            .flat_map(|canvas| canvas.to_rgba_bytes())
            .collect();
        let quantizer = color_quant::NeuQuant::new(PALETTE_SAMPLING, 256, &pixels);
        let rgb = quantizer.color_map_rgb();
        Self { quantizer, rgb }
    }

    /// An empty table from colours to entries, filled as colours are met.
    fn lookup(&self) -> ColourLookup {
        ColourLookup(vec![NOT_LOOKED_UP; 1 << (3 * LOOKUP_BITS)])
    }
}

/// Palette entries of the colours met so far, by their top [`LOOKUP_BITS`] bits a channel: a
/// frame mostly repeats the colours of the last, so each is searched for once.
struct ColourLookup(Vec<u16>);

impl ColourLookup {
    fn indexes(&mut self, palette: &Palette, canvas: &Canvas) -> Vec<u8> {
        let shift = 8 - LOOKUP_BITS;
        canvas
            .pixels()
            .iter()
            .map(|pixel| {
                let [r, g, b, _] = pixel.to_array();
                let key = (usize::from(r >> shift) << (2 * LOOKUP_BITS))
                    | (usize::from(g >> shift) << LOOKUP_BITS)
                    | usize::from(b >> shift);
                let Some(slot) = self.0.get_mut(key) else {
                    return 0;
                };
                if *slot == NOT_LOOKED_UP {
                    let entry = palette.quantizer.index_of(&[r, g, b, 255]);
                    *slot = u16::try_from(entry).unwrap_or(0);
                }
                *slot as u8
            })
            .collect()
    }
}

/// How a PNG sequence names its frames: `frame-0001.png`, …
pub fn frame_file_name(number: usize, digits: usize) -> String {
    format!("frame-{number:0digits$}.png")
}

fn write_png_folder<S: Scene>(
    renderer: &mut FrameRenderer<'_, S>,
    plan: &FramePlan,
    folder: &Path,
    options: &WriteOptions,
    progress: &AnimationProgress,
) -> Result<Written, RenderError> {
    prepare_folder(folder, options)?;
    // A held frame is repeated so that the files play at one frame rate (as video tools read
    // a sequence): one file a frame of the fastest delay.
    let frame_ms = plan.iter().map(|f| f.delay_ms).min().unwrap_or(100).max(1);
    let copies: Vec<usize> = plan
        .iter()
        .map(|f| (f.delay_ms as usize).div_ceil(frame_ms as usize).max(1))
        .collect();
    let files: usize = copies.iter().sum();
    let digits = files.to_string().len().max(4);
    let mut number = 0;
    let mut result = Ok(());
    for (frame, copies) in plan.iter().zip(copies) {
        if progress.is_cancelled() {
            result = Err(RenderError::Cancelled);
            break;
        }
        let canvas = renderer.draw(&frame);
        let bytes = super::encode_png(&canvas).map_err(|error| RenderError::Write {
            path: folder.to_path_buf(),
            reason: error.to_string(),
        })?;
        for _ in 0..copies {
            number += 1;
            let path = folder.join(frame_file_name(number, digits));
            result = write_bytes_atomically(&path, &bytes, options.protected.as_deref());
            if result.is_err() {
                break;
            }
        }
        if result.is_err() {
            break;
        }
        progress.done.fetch_add(1, Ordering::Relaxed);
    }
    if let Err(error) = result {
        // Half a sequence is no use: the frames written go.
        remove_frames(folder).ok();
        return Err(error);
    }
    Ok(Written {
        frames: plan.len(),
        files,
        size: renderer.headless.picture().size,
    })
}

/// Makes the folder if it is missing. One that holds anything is refused unless `replace`;
/// then its old frames are removed, so that no stale frame follows the new ones.
fn prepare_folder(folder: &Path, options: &WriteOptions) -> Result<(), RenderError> {
    let failed = |error: std::io::Error| RenderError::Write {
        path: folder.to_path_buf(),
        reason: error.to_string(),
    };
    if folder.is_file() {
        return Err(RenderError::Write {
            path: folder.to_path_buf(),
            reason: "it is a file, not a folder (end the name in .gif for a GIF)".to_owned(),
        });
    }
    std::fs::create_dir_all(folder).map_err(failed)?;
    let holds_anything = std::fs::read_dir(folder).map_err(failed)?.next().is_some();
    if !holds_anything {
        return Ok(());
    }
    if !options.replace {
        return Err(RenderError::FolderNotEmpty(folder.to_path_buf()));
    }
    if let Some(source) = &options.protected
        && old_frames(folder)?
            .iter()
            .any(|frame| same_file(frame, source))
    {
        return Err(RenderError::WouldOverwriteSource(source.clone()));
    }
    remove_frames(folder)
}

/// Whether two paths name one file (after resolving links and `..`).
fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

/// The `frame-*.png` files in `folder`.
fn old_frames(folder: &Path) -> Result<Vec<PathBuf>, RenderError> {
    let entries = std::fs::read_dir(folder).map_err(|error| RenderError::Write {
        path: folder.to_path_buf(),
        reason: error.to_string(),
    })?;
    Ok(entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with("frame-") && name.ends_with(".png"))
        })
        .collect())
}

fn remove_frames(folder: &Path) -> Result<(), RenderError> {
    for frame in old_frames(folder)? {
        std::fs::remove_file(&frame).map_err(|error| RenderError::Write {
            path: frame.clone(),
            reason: error.to_string(),
        })?;
    }
    Ok(())
}

fn write_bytes_atomically(
    path: &Path,
    bytes: &[u8],
    protected: Option<&Path>,
) -> Result<(), RenderError> {
    let written = write_atomically(path, protected, true, |out| {
        out.write_all(bytes).map_err(|error| error.to_string())
    });
    written.map_err(|error| write_error(error, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gif_paths_make_gifs_and_others_folders() {
        assert_eq!(
            AnimationOutput::for_path(Path::new("a/b.GIF")),
            AnimationOutput::Gif(PathBuf::from("a/b.GIF"))
        );
        assert_eq!(
            AnimationOutput::for_path(Path::new("frames")),
            AnimationOutput::PngFolder(PathBuf::from("frames"))
        );
    }

    #[test]
    fn frames_are_numbered_with_at_least_four_digits() {
        assert_eq!(frame_file_name(1, 4), "frame-0001.png");
        assert_eq!(frame_file_name(12345, 5), "frame-12345.png");
    }

    #[test]
    fn a_palette_maps_each_colour_to_its_nearest_entry() {
        let red = Canvas::new(4, 4, egui::Color32::from_rgb(250, 10, 10));
        let blue = Canvas::new(4, 4, egui::Color32::from_rgb(10, 10, 250));
        let palette = Palette::from_frames(&[&red, &blue]);
        let mut lookup = palette.lookup();
        let colour = |index: u8| {
            let start = usize::from(index) * 3;
            palette.rgb[start..start + 3].to_vec()
        };
        let red = colour(lookup.indexes(&palette, &red)[0]);
        assert!(red[0] > 200 && red[2] < 60, "{red:?}");
        let blue = colour(lookup.indexes(&palette, &blue)[5]);
        assert!(blue[2] > 200 && blue[0] < 60, "{blue:?}");
    }

    #[test]
    fn progress_is_a_fraction_of_the_frames() {
        let progress = AnimationProgress::default();
        assert_eq!(progress.fraction(), 0.0);
        progress.total.store(4, Ordering::Relaxed);
        progress.done.store(1, Ordering::Relaxed);
        assert_eq!(progress.fraction(), 0.25);
        progress.cancel();
        assert!(progress.is_cancelled());
    }
}
