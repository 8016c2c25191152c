//! A CPU rasteriser for egui's tessellated output: what egui's glow painter does on the GPU,
//! done with edge functions into an RGBA8 buffer.
//!
//! Like egui's own painters it works in gamma space on premultiplied colours: a pixel is the
//! vertex colour (interpolated) times the texture sample, blended "over" what is there with
//! `dst = src + dst × (1 − src_alpha)`. egui feathers its edges with extra thin triangles, so no
//! anti-aliasing is done here. Triangles obey the top-left fill rule, as GPUs do, so that two
//! triangles sharing an edge never blend a pixel twice.

use std::collections::HashMap;

use egui::epaint::{ClippedPrimitive, ImageData, ImageDelta, Mesh, Primitive, Vertex};
use egui::{Color32, Rect, TextureFilter, TextureId, TextureOptions, TextureWrapMode};

/// Sub-pixel steps per pixel: vertex positions are snapped to 1/256 of a pixel, so that the
/// inside test is exact integer arithmetic.
const SUBPIXEL: i64 = 256;

/// Vertices further than this many pixels off the screen are not drawn (i64 headroom).
const MAX_COORDINATE: f32 = 1.0e7;

/// An RGBA8 image with premultiplied alpha, in gamma space: what a window's framebuffer holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Canvas {
    width: usize,
    height: usize,
    pixels: Vec<Color32>,
}

impl Canvas {
    /// A canvas filled with `background`.
    pub fn new(width: usize, height: usize, background: Color32) -> Self {
        Self {
            width,
            height,
            pixels: vec![background; width * height],
        }
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn height(&self) -> usize {
        self.height
    }

    /// The pixel at column `x`, row `y` (`None` outside the canvas).
    pub fn pixel(&self, x: usize, y: usize) -> Option<Color32> {
        if x >= self.width {
            return None;
        }
        self.pixels.get(y * self.width + x).copied()
    }

    /// Every pixel, row by row from the top left.
    pub fn pixels(&self) -> &[Color32] {
        &self.pixels
    }

    /// The bytes R, G, B, A of every pixel, row by row (what an RGBA8 PNG holds).
    pub fn to_rgba_bytes(&self) -> Vec<u8> {
        self.pixels.iter().flat_map(|p| p.to_array()).collect()
    }

    /// The pixels of row `y` from column `start` up to (not including) `end`.
    fn span_mut(&mut self, y: usize, start: usize, end: usize) -> Option<&mut [Color32]> {
        let row = y * self.width;
        self.pixels.get_mut(row + start..row + end)
    }
}

/// A texture as egui sent it: sRGBA, premultiplied.
struct Texture {
    size: [usize; 2],
    pixels: Vec<Color32>,
    options: TextureOptions,
}

impl Texture {
    fn texel(&self, x: usize, y: usize) -> Color32 {
        self.pixels
            .get(y * self.size[0] + x)
            .copied()
            .unwrap_or(Color32::TRANSPARENT)
    }

    /// The colour at texture coordinates `uv` (0..1 across the texture), filtered as asked.
    fn sample(&self, uv: [f32; 2]) -> [f32; 4] {
        let [width, height] = self.size;
        if width == 0 || height == 0 {
            return [0.0; 4];
        }
        // Texel centres are at half-integers, as on the GPU.
        let x = uv[0] * width as f32 - 0.5;
        let y = uv[1] * height as f32 - 0.5;
        let wrap = self.options.wrap_mode;
        if self.options.magnification == TextureFilter::Nearest {
            let column = wrap_index(x.round() as i64, width, wrap);
            let row = wrap_index(y.round() as i64, height, wrap);
            return as_floats(self.texel(column, row));
        }
        let (left, top) = (x.floor(), y.floor());
        let (fx, fy) = (x - left, y - top);
        let (left, top) = (left as i64, top as i64);
        let columns = [wrap_index(left, width, wrap), wrap_index(left + 1, width, wrap)];
        let rows = [wrap_index(top, height, wrap), wrap_index(top + 1, height, wrap)];
        let mut out = [0.0; 4];
        for (row, wy) in rows.into_iter().zip([1.0 - fy, fy]) {
            for (column, wx) in columns.into_iter().zip([1.0 - fx, fx]) {
                let texel = self.texel(column, row).to_array();
                for (channel, value) in out.iter_mut().zip(texel) {
                    *channel += f32::from(value) * wx * wy;
                }
            }
        }
        out
    }

    /// Writes a patch at `[x, y]`; parts outside the texture are dropped.
    fn patch(&mut self, [x, y]: [usize; 2], image: &egui::ColorImage) {
        let [patch_width, _] = image.size;
        if patch_width == 0 {
            return;
        }
        for (row, source) in image.pixels.chunks(patch_width).enumerate() {
            let top = y + row;
            if top >= self.size[1] || x >= self.size[0] {
                break;
            }
            let width = patch_width.min(self.size[0] - x);
            let start = top * self.size[0] + x;
            if let (Some(target), Some(source)) = (
                self.pixels.get_mut(start..start + width),
                source.get(..width),
            ) {
                target.copy_from_slice(source);
            }
        }
    }
}

fn as_floats(color: Color32) -> [f32; 4] {
    color.to_array().map(f32::from)
}

/// A texel index inside `0..len` for a coordinate that may be outside it.
fn wrap_index(index: i64, len: usize, wrap: TextureWrapMode) -> usize {
    let len = len as i64;
    let wrapped = match wrap {
        TextureWrapMode::ClampToEdge => index.clamp(0, len - 1),
        TextureWrapMode::Repeat => index.rem_euclid(len),
        TextureWrapMode::MirroredRepeat => {
            let period = index.rem_euclid(2 * len);
            if period < len {
                period
            } else {
                2 * len - 1 - period
            }
        }
    };
    wrapped as usize
}

/// The textures egui has asked for (the font atlas and any user images).
#[derive(Default)]
pub struct Textures {
    textures: HashMap<TextureId, Texture>,
}

impl Textures {
    /// Applies one new texture or patch from [`egui::TexturesDelta::set`].
    pub fn set(&mut self, id: TextureId, delta: &ImageDelta) {
        let ImageData::Color(image) = &delta.image;
        match delta.pos {
            None => {
                self.textures.insert(
                    id,
                    Texture {
                        size: image.size,
                        pixels: image.pixels.clone(),
                        options: delta.options,
                    },
                );
            }
            Some(pos) => match self.textures.get_mut(&id) {
                Some(texture) => texture.patch(pos, image),
                None => log::warn!("egui patched texture {id:?}, which it never set"),
            },
        }
    }

    /// Applies (and takes out) the new textures and patches of a frame, before painting it.
    pub fn apply_sets(&mut self, delta: &mut egui::TexturesDelta) {
        for (id, deltas) in std::mem::take(&mut delta.set) {
            for image_delta in &deltas {
                self.set(id, image_delta);
            }
        }
    }

    /// Frees (and takes out) the textures a frame let go of, after painting it.
    pub fn apply_frees(&mut self, delta: &mut egui::TexturesDelta) {
        for id in std::mem::take(&mut delta.free) {
            self.textures.remove(&id);
        }
    }

    /// How many textures are held.
    pub fn len(&self) -> usize {
        self.textures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.textures.is_empty()
    }
}

/// A clip rectangle in whole pixels: columns `min_x..max_x`, rows `min_y..max_y`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct PixelRect {
    min_x: i64,
    min_y: i64,
    max_x: i64,
    max_y: i64,
}

impl PixelRect {
    /// The clip rectangle in pixels, rounded and clamped to the canvas as egui's glow painter
    /// does.
    fn from_clip(clip: Rect, pixels_per_point: f32, canvas: &Canvas) -> Self {
        let (width, height) = (canvas.width as i64, canvas.height as i64);
        let round = |v: f32| (v * pixels_per_point).round() as i64;
        let min_x = round(clip.min.x).clamp(0, width);
        let min_y = round(clip.min.y).clamp(0, height);
        Self {
            min_x,
            min_y,
            max_x: round(clip.max.x).clamp(min_x, width),
            max_y: round(clip.max.y).clamp(min_y, height),
        }
    }

    fn is_empty(&self) -> bool {
        self.min_x >= self.max_x || self.min_y >= self.max_y
    }
}

/// Paints egui's tessellated primitives in order onto `canvas`.
pub fn paint(
    canvas: &mut Canvas,
    textures: &Textures,
    primitives: &[ClippedPrimitive],
    pixels_per_point: f32,
) {
    for primitive in primitives {
        let clip = PixelRect::from_clip(primitive.clip_rect, pixels_per_point, canvas);
        if clip.is_empty() {
            continue;
        }
        match &primitive.primitive {
            Primitive::Mesh(mesh) => {
                let Some(texture) = textures.textures.get(&mesh.texture_id) else {
                    log::warn!("a mesh uses texture {:?}, which egui never set", mesh.texture_id);
                    continue;
                };
                paint_mesh(canvas, texture, mesh, clip, pixels_per_point);
            }
            // Paint callbacks draw with the GPU; the app uses none.
            Primitive::Callback(_) => log::warn!("a paint callback cannot be drawn without a GPU"),
        }
    }
}

fn paint_mesh(
    canvas: &mut Canvas,
    texture: &Texture,
    mesh: &Mesh,
    clip: PixelRect,
    pixels_per_point: f32,
) {
    for triangle in mesh.indices.chunks_exact(3) {
        let corner = |i: usize| {
            triangle
                .get(i)
                .and_then(|&index| mesh.vertices.get(index as usize))
        };
        let (Some(a), Some(b), Some(c)) = (corner(0), corner(1), corner(2)) else {
            log::warn!("a mesh has an index past its vertices");
            return;
        };
        if let Some(triangle) = Triangle::new([a, b, c], pixels_per_point) {
            fill_triangle(canvas, texture, &triangle, clip);
        }
    }
}

/// One edge's function `E(p) = A·x + B·y + C` (in sub-pixel units), positive inside.
#[derive(Clone, Copy, Debug)]
struct Edge {
    step_x: i64,
    step_y: i64,
    /// `E` at the centre of pixel (0, 0), with the fill-rule bias.
    origin: i64,
}

impl Edge {
    /// The edge from `a` to `b` of a triangle whose inside is on the left (`E > 0`).
    fn new(a: [i64; 2], b: [i64; 2]) -> Self {
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        // Top-left rule: pixel centres exactly on a top or left edge are inside, on the others
        // not, so that neighbouring triangles share no pixel.
        let top_left = dy < 0 || (dy == 0 && dx > 0);
        let bias = if top_left { 0 } else { -1 };
        let centre = SUBPIXEL / 2;
        let origin = dx * (centre - a[1]) - dy * (centre - a[0]) + bias;
        Self {
            step_x: -dy * SUBPIXEL,
            step_y: dx * SUBPIXEL,
            origin,
        }
    }

    fn at(&self, x: i64, y: i64) -> i64 {
        self.origin + self.step_x * x + self.step_y * y
    }
}

/// A triangle ready to fill: corners in sub-pixels, wound so that its area is positive.
struct Triangle<'a> {
    vertices: [&'a Vertex; 3],
    /// `edges[i]` is the edge facing corner `i`: its value over the area is corner i's weight.
    edges: [Edge; 3],
    area: i64,
    bounds: PixelRect,
}

impl<'a> Triangle<'a> {
    fn new(vertices: [&'a Vertex; 3], pixels_per_point: f32) -> Option<Self> {
        let mut corners = [[0_i64; 2]; 3];
        for (corner, vertex) in corners.iter_mut().zip(vertices) {
            let (x, y) = (vertex.pos.x * pixels_per_point, vertex.pos.y * pixels_per_point);
            if !(x.abs() < MAX_COORDINATE && y.abs() < MAX_COORDINATE) {
                return None;
            }
            *corner = [
                (x * SUBPIXEL as f32).round() as i64,
                (y * SUBPIXEL as f32).round() as i64,
            ];
        }
        let [p0, mut p1, mut p2] = corners;
        let [v0, mut v1, mut v2] = vertices;
        let mut area = (p1[0] - p0[0]) * (p2[1] - p0[1]) - (p1[1] - p0[1]) * (p2[0] - p0[0]);
        // egui winds its triangles either way.
        if area < 0 {
            std::mem::swap(&mut p1, &mut p2);
            std::mem::swap(&mut v1, &mut v2);
            area = -area;
        }
        if area == 0 {
            return None;
        }
        let min = |i: usize| p0[i].min(p1[i]).min(p2[i]).div_euclid(SUBPIXEL);
        let max = |i: usize| (p0[i].max(p1[i]).max(p2[i]) + SUBPIXEL - 1).div_euclid(SUBPIXEL);
        let bounds = PixelRect {
            min_x: min(0),
            min_y: min(1),
            max_x: max(0) + 1,
            max_y: max(1) + 1,
        };
        Some(Self {
            vertices: [v0, v1, v2],
            edges: [Edge::new(p1, p2), Edge::new(p2, p0), Edge::new(p0, p1)],
            area,
            bounds,
        })
    }
}

/// How a triangle's pixels get their colour: the same for every pixel, or interpolated.
enum Shading {
    /// One colour for the whole triangle (one vertex colour, one texture coordinate).
    Flat(Color32),
    /// Vertex colours and texture coordinates interpolated per pixel (`texel` when every
    /// corner samples the same texel, e.g. egui's white pixel).
    Smooth {
        colors: [[f32; 4]; 3],
        uvs: [[f32; 2]; 3],
        texel: Option<[f32; 4]>,
    },
}

impl Shading {
    fn new(vertices: [&Vertex; 3], texture: &Texture) -> Self {
        let [a, b, c] = vertices;
        let same_uv = a.uv == b.uv && b.uv == c.uv;
        let texel = same_uv.then(|| texture.sample([a.uv.x, a.uv.y]));
        match texel {
            Some(texel) if a.color == b.color && b.color == c.color => {
                Shading::Flat(modulate(as_floats(a.color), texel))
            }
            _ => Shading::Smooth {
                colors: vertices.map(|v| as_floats(v.color)),
                uvs: vertices.map(|v| [v.uv.x, v.uv.y]),
                texel,
            },
        }
    }
}

/// Vertex colour times texture sample, both premultiplied and in 0..=255.
fn modulate(color: [f32; 4], texel: [f32; 4]) -> Color32 {
    let channel = |i: usize| {
        let value = color.get(i).copied().unwrap_or(0.0) * texel.get(i).copied().unwrap_or(0.0);
        (value / 255.0).round().clamp(0.0, 255.0) as u8
    };
    Color32::from_rgba_premultiplied(channel(0), channel(1), channel(2), channel(3))
}

/// `a × b / 255`, rounded, for bytes.
fn mul_255(a: u32, b: u32) -> u32 {
    let product = a * b + 128;
    (product + (product >> 8)) >> 8
}

/// Premultiplied "over", as egui's painters set up the GPU's blending: colour `src + dst ×
/// (1 − src_alpha)`, alpha `src_alpha × (1 − dst_alpha) + dst_alpha`.
fn blend(dst: &mut Color32, src: Color32) {
    let source_alpha = src.a();
    if source_alpha == 255 {
        *dst = src;
        return;
    }
    if src == Color32::TRANSPARENT {
        return;
    }
    let keep = 255 - u32::from(source_alpha);
    let over = |s: u8, d: u8| (u32::from(s) + mul_255(u32::from(d), keep)).min(255) as u8;
    let alpha = mul_255(u32::from(source_alpha), 255 - u32::from(dst.a())) + u32::from(dst.a());
    *dst = Color32::from_rgba_premultiplied(
        over(src.r(), dst.r()),
        over(src.g(), dst.g()),
        over(src.b(), dst.b()),
        alpha.min(255) as u8,
    );
}

/// Columns `start..end` of row `y` inside all three edges (clamped to `columns`), or `None`.
fn row_span(edges: &[Edge; 3], y: i64, columns: (i64, i64)) -> Option<(i64, i64)> {
    let (mut start, mut end) = columns;
    for edge in edges {
        let value = edge.at(start, y);
        match edge.step_x {
            0 if value < 0 => return None,
            0 => {}
            step if step > 0 => {
                // First column where value + step·k ≥ 0.
                if value < 0 {
                    start += (-value + step - 1) / step;
                }
            }
            step => {
                // Last column where value + step·k ≥ 0 (step < 0).
                if value < 0 {
                    return None;
                }
                end = end.min(start + value / -step + 1);
            }
        }
        if start >= end {
            return None;
        }
    }
    Some((start, end))
}

fn fill_triangle(canvas: &mut Canvas, texture: &Texture, triangle: &Triangle<'_>, clip: PixelRect) {
    let rows = triangle.bounds.min_y.max(clip.min_y)..triangle.bounds.max_y.min(clip.max_y);
    let columns = (
        triangle.bounds.min_x.max(clip.min_x),
        triangle.bounds.max_x.min(clip.max_x),
    );
    if columns.0 >= columns.1 {
        return;
    }
    let shading = Shading::new(triangle.vertices, texture);
    let inverse_area = 1.0 / triangle.area as f32;
    for y in rows {
        let Some((start, end)) = row_span(&triangle.edges, y, columns) else {
            continue;
        };
        // The span is inside the clip rectangle, which is inside the canvas.
        let Some(span) = canvas.span_mut(y as usize, start as usize, end as usize) else {
            continue;
        };
        match &shading {
            Shading::Flat(color) => span.iter_mut().for_each(|pixel| blend(pixel, *color)),
            Shading::Smooth { colors, uvs, texel } => {
                let [_, edge1, edge2] = &triangle.edges;
                let (mut weight1, mut weight2) = (edge1.at(start, y), edge2.at(start, y));
                for pixel in span {
                    let l1 = weight1 as f32 * inverse_area;
                    let l2 = weight2 as f32 * inverse_area;
                    let color = interpolate(colors, l1, l2);
                    let sample = match texel {
                        Some(texel) => *texel,
                        None => texture.sample(interpolate(uvs, l1, l2)),
                    };
                    blend(pixel, modulate(color, sample));
                    weight1 += edge1.step_x;
                    weight2 += edge2.step_x;
                }
            }
        }
    }
}

/// The value at barycentric weights (1 − l1 − l2, l1, l2) of per-corner values.
fn interpolate<const N: usize>(values: &[[f32; N]; 3], l1: f32, l2: f32) -> [f32; N] {
    let [a, b, c] = values;
    std::array::from_fn(|i| {
        let (a, b, c) = (a[i], b[i], c[i]);
        a + (b - a) * l1 + (c - a) * l2
    })
}
