//! File ▸ Export: the dialog's state changes, the events written on a background thread, and
//! pictures taken from the next frame (`ViewportCommand::Screenshot`), cropped to the map or
//! the timeline and written as PNG. Every file is written atomically, never over the opened one.

use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use super::{DatasetSource, EventAtlasApp};
use crate::background::{DialogOutcome, FileDialog, Task, save_dialog};
use crate::command::ExportCommand;
use crate::io::export::{self, ExportFormat, write_atomically};
use crate::state::export::{ExportDialog, ExportScope, ExportTarget, PicturePart};

/// The export in progress and what became of the last one.
#[derive(Default)]
pub struct ExportState {
    pub dialog: Option<ExportDialog>,
    save_dialog: Option<FileDialog>,
    /// Events (or a picture) being written on a background thread; what it is, for the bar.
    task: Option<(String, Task<String>)>,
    picture: Option<PictureRequest>,
    /// The last export's outcome, shown until dismissed: `Ok(what was written)` or the error.
    pub notice: Option<Result<String, String>>,
}

/// A picture to take: asked for once the dialog has gone from the screen.
struct PictureRequest {
    part: PicturePart,
    path: PathBuf,
    replace: bool,
    /// The frame to take is the next one (this one still shows the dialog).
    asked: bool,
    receiver: Option<mpsc::Receiver<Arc<egui::ColorImage>>>,
}

impl ExportState {
    /// What is being written now, for the bar above the map.
    pub fn running(&self) -> Option<&str> {
        match (&self.task, &self.picture) {
            (Some((what, _)), _) => Some(what),
            (None, Some(_)) => Some("Taking the picture…"),
            (None, None) => None,
        }
    }
}

impl EventAtlasApp {
    pub(super) fn apply_export(&mut self, command: ExportCommand) {
        if command == ExportCommand::Open {
            self.open_export_dialog();
            return;
        }
        if command == ExportCommand::DismissNotice {
            self.export.notice = None;
            return;
        }
        let Some(dialog) = &mut self.export.dialog else {
            return;
        };
        match command {
            ExportCommand::SetTarget(target) => dialog.set_target(target),
            ExportCommand::SetScope(scope) => dialog.scope = scope,
            ExportCommand::SetPath(path) => {
                dialog.path = path;
                dialog.replace = false;
            }
            ExportCommand::SetReplace(replace) => dialog.replace = replace,
            ExportCommand::Browse => {
                let start = PathBuf::from(dialog.path.trim());
                let target = dialog.target;
                let filter = (target.label(), target.extension().to_owned());
                self.export.save_dialog = Some(save_dialog(&start, (&filter.0, &filter.1)));
            }
            ExportCommand::Run => self.run_export(),
            ExportCommand::Cancel => self.export.dialog = None,
            ExportCommand::Open | ExportCommand::DismissNotice => {}
        }
    }

    fn open_export_dialog(&mut self) {
        let (playhead, window) = (self.view.time.playhead, self.view.time.shown_window());
        let counts = ExportScope::ALL.map(|scope| {
            if scope == ExportScope::All {
                self.filtering.matches.count()
            } else {
                scope
                    .events(&self.dataset, &self.filtering.matches, playhead, window)
                    .len()
            }
        });
        let beside = match &self.source {
            DatasetSource::File(path) => path.parent().filter(|p| p.is_dir()),
            DatasetSource::Builtin => None,
        };
        let fallback = std::env::home_dir().unwrap_or_else(std::env::temp_dir);
        self.export.dialog = Some(ExportDialog::new(
            &self.view.export,
            beside,
            &fallback,
            &self.dataset.title,
            counts,
        ));
    }

    /// Starts writing what the dialog says, and closes it.
    fn run_export(&mut self) {
        let Some(dialog) = &self.export.dialog else {
            return;
        };
        if dialog.problem().is_some() || self.export.running().is_some() {
            return;
        }
        let path = PathBuf::from(dialog.path.trim());
        let replace = dialog.replace;
        self.view.export = dialog.choices();
        if let Some(refusal) = self.refusal(&path) {
            // Said at once; nothing is started.
            self.export.dialog = None;
            self.export.notice = Some(Err(refusal));
            return;
        }
        match dialog.target {
            ExportTarget::Events(format) => {
                let scope = dialog.scope;
                self.export_events(format, scope, path, replace);
            }
            ExportTarget::Picture(part) => {
                self.export.picture = Some(PictureRequest {
                    part,
                    path,
                    replace,
                    asked: false,
                    receiver: None,
                });
            }
        }
        self.export.dialog = None;
        self.export.notice = None;
    }

    /// Why nothing may be written at `path`: it is the opened data file, or that file's story
    /// file (which only Save story writes). The writers refuse the data file again, atomically.
    fn refusal(&self, path: &Path) -> Option<String> {
        let DatasetSource::File(source) = &self.source else {
            return None;
        };
        let file = path.display().to_string();
        if export::same_file(path, source) {
            return Some(export::WriteError::WouldOverwriteSource { file }.to_string());
        }
        export::same_file(path, &crate::io::story::sidecar_path(source)).then(|| {
            format!(
                "{file}: this is the story file of the opened data (Save story writes it); choose another name"
            )
        })
    }

    fn export_events(
        &mut self,
        format: ExportFormat,
        scope: ExportScope,
        path: PathBuf,
        replace: bool,
    ) {
        let (playhead, window) = (self.view.time.playhead, self.view.time.shown_window());
        let events = scope.events(&self.dataset, &self.filtering.matches, playhead, window);
        let dataset = Arc::clone(&self.dataset);
        let protected = match &self.source {
            DatasetSource::File(source) => Some(source.clone()),
            DatasetSource::Builtin => None,
        };
        let what = format!("Exporting {} events to {}…", events.len(), path.display());
        let task = Task::spawn(&format!("Exporting to {}", path.display()), move || {
            let summary = export::write_file(
                &path,
                &dataset,
                &events,
                format,
                protected.as_deref(),
                replace,
            )
            .map_err(|error| error.to_string())?;
            Ok(format!("Wrote {} — {}", path.display(), summary.line()))
        });
        self.export.task = Some((what, task));
    }

    /// Takes in a finished export, the file chosen in the save dialog, and a picture taken.
    /// Called once a frame.
    pub(super) fn receive_export_results(&mut self, ctx: &egui::Context) {
        if let Some((_, task)) = &self.export.task {
            match task.try_result() {
                Some(result) => {
                    self.export.task = None;
                    self.export.notice = Some(result);
                }
                None => ctx.request_repaint_after(Duration::from_millis(50)),
            }
        }
        if let Some(dialog) = &self.export.save_dialog {
            match dialog.outcome() {
                DialogOutcome::Open => ctx.request_repaint_after(Duration::from_millis(100)),
                DialogOutcome::Closed(choice) => {
                    self.export.save_dialog = None;
                    if let (Some(path), Some(export)) = (choice, &mut self.export.dialog) {
                        export.path = path.display().to_string();
                        // The desktop's dialog asked already.
                        export.replace = true;
                    }
                }
                DialogOutcome::Failed => {
                    self.export.save_dialog = None;
                    self.export.notice = Some(Err(
                        "No desktop file-chooser service (xdg-desktop-portal) answered: type the file's path in the Export dialog instead.".to_owned(),
                    ));
                }
            }
        }
        self.receive_picture(ctx);
    }

    fn receive_picture(&mut self, ctx: &egui::Context) {
        let Some(request) = &self.export.picture else {
            return;
        };
        let Some(receiver) = &request.receiver else {
            return;
        };
        match receiver.try_recv() {
            Ok(image) => {
                let rect = match request.part {
                    PicturePart::Map => Some(self.map_rect),
                    PicturePart::Timeline => self.timeline_rect,
                    PicturePart::Window => None,
                };
                let ppp = ctx.pixels_per_point();
                let (path, replace) = (request.path.clone(), request.replace);
                let protected = match &self.source {
                    DatasetSource::File(source) => Some(source.clone()),
                    DatasetSource::Builtin => None,
                };
                self.export.picture = None;
                let what = format!("Writing {}…", path.display());
                let task = Task::spawn(&format!("Writing {}", path.display()), move || {
                    let image = match rect {
                        Some(rect) => crop(&image, rect, ppp),
                        None => (*image).clone(),
                    };
                    write_png(&path, &image, protected.as_deref(), replace)
                });
                self.export.task = Some((what, task));
            }
            Err(mpsc::TryRecvError::Empty) => ctx.request_repaint_after(Duration::from_millis(30)),
            Err(mpsc::TryRecvError::Disconnected) => {
                self.export.picture = None;
                self.export.notice = Some(Err(
                    "The picture could not be taken: the window's renderer gave no image."
                        .to_owned(),
                ));
            }
        }
    }

    /// Asks for the picture once a frame without the dialog has been drawn. Called at the end
    /// of every frame.
    pub(super) fn request_picture(&mut self, ctx: &egui::Context) {
        let Some(request) = &mut self.export.picture else {
            return;
        };
        if request.receiver.is_some() {
            return;
        }
        if !request.asked {
            // This frame still showed the dialog: the next one is the picture.
            request.asked = true;
            ctx.request_repaint();
            return;
        }
        let (sender, receiver) = mpsc::channel();
        let repaint = ctx.clone();
        let callback = egui::ScreenshotCallback::new(move |image| {
            sender.send(image).ok();
            repaint.request_repaint();
        });
        ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(callback));
        request.receiver = Some(receiver);
    }
}

/// The part of `image` under `rect` (in points), clamped to the image.
pub fn crop(image: &egui::ColorImage, rect: egui::Rect, pixels_per_point: f32) -> egui::ColorImage {
    let [width, height] = image.size;
    let clamp =
        |value: f32, max: usize| ((value * pixels_per_point).round().max(0.0) as usize).min(max);
    let (x0, x1) = (clamp(rect.min.x, width), clamp(rect.max.x, width));
    let (y0, y1) = (clamp(rect.min.y, height), clamp(rect.max.y, height));
    let mut pixels = Vec::with_capacity((x1 - x0) * (y1 - y0));
    for row in y0..y1 {
        let start = row * width;
        if let Some(line) = image.pixels.get(start + x0..start + x1) {
            pixels.extend_from_slice(line);
        }
    }
    egui::ColorImage::new([x1 - x0, y1 - y0], pixels)
}

/// Writes `image` as a PNG file, atomically; says what was written.
pub fn write_png(
    path: &Path,
    image: &egui::ColorImage,
    protected: Option<&Path>,
    replace: bool,
) -> Result<String, String> {
    let [width, height] = image.size;
    if width == 0 || height == 0 {
        return Err("the part of the window to save is hidden (it has no size)".to_owned());
    }
    let bytes: Vec<u8> = image
        .pixels
        .iter()
        .flat_map(|pixel| pixel.to_srgba_unmultiplied())
        .collect();
    let written = write_atomically(path, protected, replace, |out| {
        use image::ImageEncoder as _;
        let encoder = image::codecs::png::PngEncoder::new(out);
        encoder
            .write_image(
                &bytes,
                width as u32,
                height as u32,
                image::ExtendedColorType::Rgba8,
            )
            .map_err(|error| error.to_string())
    });
    written.map_err(|error| error.to_string())?;
    Ok(format!(
        "Wrote {} — a {width}×{height} picture",
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crop_is_clamped_to_the_image_and_scaled_by_the_pixels_per_point() {
        let mut image = egui::ColorImage::filled([10, 8], egui::Color32::WHITE);
        image.pixels[3 * 10 + 4] = egui::Color32::RED;
        let part = crop(
            &image,
            egui::Rect::from_min_max((2.0, 1.5).into(), (3.0, 9.0).into()),
            2.0,
        );
        assert_eq!(part.size, [2, 5]);
        assert_eq!(part.pixels[0], egui::Color32::RED);
        let outside = crop(
            &image,
            egui::Rect::from_min_max((20.0, 20.0).into(), (30.0, 30.0).into()),
            1.0,
        );
        assert_eq!(outside.size, [0, 0]);
    }

    #[test]
    fn a_png_is_written_whole_and_an_empty_one_is_refused() {
        let folder = std::env::temp_dir().join(format!("atlas-png-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join("map.png");
        let image = egui::ColorImage::filled([4, 3], egui::Color32::from_rgb(200, 10, 20));
        let said = write_png(&path, &image, None, false).unwrap();
        assert!(said.ends_with("a 4×3 picture"), "{said}");
        let read = image::open(&path).unwrap().to_rgba8();
        assert_eq!(read.dimensions(), (4, 3));
        assert_eq!(read.get_pixel(1, 1).0, [200, 10, 20, 255]);
        let empty = egui::ColorImage::filled([0, 0], egui::Color32::WHITE);
        assert!(write_png(&folder.join("e.png"), &empty, None, false).is_err());
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
