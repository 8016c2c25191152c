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
        let columns = [
            wrap_index(left, width, wrap),
            wrap_index(left + 1, width, wrap),
        ];
        let rows = [
            wrap_index(top, height, wrap),
            wrap_index(top + 1, height, wrap),
        ];
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
                    log::warn!(
                        "a mesh uses texture {:?}, which egui never set",
                        mesh.texture_id
                    );
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
            let (x, y) = (
                vertex.pos.x * pixels_per_point,
                vertex.pos.y * pixels_per_point,
            );
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

#[cfg(test)]
mod tests {
    use super::*;
    use egui::epaint::WHITE_UV;
    use egui::{Pos2, pos2};

    const BACKGROUND: Color32 = Color32::from_rgb(10, 20, 30);

    /// The font-atlas stand-in: texel (0, 0) white (what `WHITE_UV` samples), the rest a
    /// checker of red and transparent.
    fn textures() -> Textures {
        let mut image = egui::ColorImage::filled([4, 4], Color32::TRANSPARENT);
        for (i, pixel) in image.pixels.iter_mut().enumerate() {
            if (i + i / 4) % 2 == 1 {
                *pixel = Color32::RED;
            }
        }
        image.pixels[0] = Color32::WHITE;
        let mut textures = Textures::default();
        textures.set(
            TextureId::default(),
            &ImageDelta::full(image, TextureOptions::NEAREST),
        );
        textures
    }

    fn vertex(pos: Pos2, color: Color32) -> Vertex {
        Vertex {
            pos,
            uv: WHITE_UV,
            color,
        }
    }

    fn mesh(vertices: Vec<Vertex>) -> Mesh {
        Mesh {
            indices: (0..vertices.len() as u32).collect(),
            vertices,
            texture_id: TextureId::default(),
        }
    }

    fn draw(canvas: &mut Canvas, mesh: Mesh, clip: Rect) {
        let primitive = ClippedPrimitive {
            clip_rect: clip,
            primitive: Primitive::Mesh(mesh),
        };
        paint(canvas, &textures(), &[primitive], 1.0);
    }

    fn everywhere() -> Rect {
        Rect::EVERYTHING
    }

    /// Pixels covered by a colour other than the background, as (x, y).
    fn covered(canvas: &Canvas) -> Vec<(usize, usize)> {
        (0..canvas.height())
            .flat_map(|y| (0..canvas.width()).map(move |x| (x, y)))
            .filter(|&(x, y)| canvas.pixel(x, y) != Some(BACKGROUND))
            .collect()
    }

    #[test]
    fn a_solid_triangle_covers_the_pixel_centres_inside_it() {
        let mut canvas = Canvas::new(8, 8, BACKGROUND);
        // The lower-left half of the square (0,0)–(4,4), wound clockwise on screen.
        let green = Color32::from_rgb(0, 200, 0);
        let corners = [pos2(0.0, 0.0), pos2(4.0, 4.0), pos2(0.0, 4.0)];
        draw(
            &mut canvas,
            mesh(corners.map(|p| vertex(p, green)).to_vec()),
            everywhere(),
        );
        // Centres on the diagonal lie on its right-hand edge: left to the other half.
        let expected: Vec<(usize, usize)> =
            (0..4).flat_map(|y| (0..y).map(move |x| (x, y))).collect();
        let mut got = covered(&canvas);
        got.sort_by_key(|&(x, y)| (y, x));
        assert_eq!(got, expected);
        assert_eq!(canvas.pixel(0, 3), Some(green));
    }

    #[test]
    fn both_windings_fill_and_shared_edges_are_drawn_once() {
        let mut canvas = Canvas::new(6, 6, BACKGROUND);
        let half_white = Color32::from_rgba_premultiplied(100, 100, 100, 128);
        // A square as two triangles of opposite winding, sharing the diagonal.
        let [a, b, c, d] = [
            pos2(1.0, 1.0),
            pos2(5.0, 1.0),
            pos2(5.0, 5.0),
            pos2(1.0, 5.0),
        ];
        let square = [a, b, c, a, d, c].map(|p| vertex(p, half_white)).to_vec();
        draw(&mut canvas, mesh(square), everywhere());
        assert_eq!(covered(&canvas).len(), 16);
        let inside: HashSet<Color32> = (1..5)
            .flat_map(|y| (1..5).map(move |x| (x, y)))
            .filter_map(|(x, y)| canvas.pixel(x, y))
            .collect();
        assert_eq!(
            inside.len(),
            1,
            "every pixel blended exactly once: {inside:?}"
        );
    }

    #[test]
    fn the_clip_rectangle_is_respected() {
        let mut canvas = Canvas::new(10, 10, BACKGROUND);
        let corners = [
            pos2(0.0, 0.0),
            pos2(10.0, 0.0),
            pos2(10.0, 10.0),
            pos2(0.0, 10.0),
        ];
        let quad = [0, 1, 2, 0, 2, 3].map(|i| vertex(corners[i], Color32::BLUE));
        let clip = Rect::from_min_max(pos2(2.0, 3.0), pos2(6.0, 5.0));
        draw(&mut canvas, mesh(quad.to_vec()), clip);
        let got = covered(&canvas);
        assert_eq!(got.len(), 4 * 2);
        assert!(
            got.iter()
                .all(|&(x, y)| (2..6).contains(&x) && (3..5).contains(&y))
        );
    }

    #[test]
    fn the_white_texel_gives_the_vertex_colour_and_other_texels_tint_it() {
        let mut canvas = Canvas::new(4, 4, BACKGROUND);
        let orange = Color32::from_rgb(240, 120, 10);
        let corners = [
            pos2(0.0, 0.0),
            pos2(4.0, 0.0),
            pos2(4.0, 4.0),
            pos2(0.0, 4.0),
        ];
        let quad = [0, 1, 2, 0, 2, 3].map(|i| vertex(corners[i], orange));
        draw(&mut canvas, mesh(quad.to_vec()), everywhere());
        assert!(canvas.pixels().iter().all(|&p| p == orange));

        // The whole checker texture over the canvas: red texels × white vertices = red, the
        // transparent ones leave the background.
        let mut canvas = Canvas::new(4, 4, BACKGROUND);
        let uvs = [
            pos2(0.0, 0.0),
            pos2(1.0, 0.0),
            pos2(1.0, 1.0),
            pos2(0.0, 1.0),
        ];
        let textured = [0, 1, 2, 0, 2, 3].map(|i| Vertex {
            pos: corners[i],
            uv: uvs[i],
            color: Color32::WHITE,
        });
        draw(&mut canvas, mesh(textured.to_vec()), everywhere());
        assert_eq!(canvas.pixel(0, 0), Some(Color32::WHITE));
        assert_eq!(canvas.pixel(1, 0), Some(Color32::RED));
        assert_eq!(canvas.pixel(2, 0), Some(BACKGROUND));
        assert_eq!(canvas.pixel(0, 1), Some(Color32::RED));
    }

    #[test]
    fn translucent_colours_blend_over_the_background() {
        let background = Color32::from_rgb(200, 100, 0);
        let mut canvas = Canvas::new(2, 2, background);
        // 50 % black, premultiplied: halves what is below.
        let shade = Color32::from_rgba_premultiplied(0, 0, 0, 128);
        let corners = [
            pos2(0.0, 0.0),
            pos2(2.0, 0.0),
            pos2(2.0, 2.0),
            pos2(0.0, 2.0),
        ];
        let quad = [0, 1, 2, 0, 2, 3].map(|i| vertex(corners[i], shade));
        draw(&mut canvas, mesh(quad.to_vec()), everywhere());
        assert_eq!(canvas.pixel(1, 1), Some(Color32::from_rgb(100, 50, 0)));
        // Premultiplied white at 50 % over that: adds 128.
        let light = Color32::from_rgba_premultiplied(128, 128, 128, 128);
        let quad = [0, 1, 2, 0, 2, 3].map(|i| vertex(corners[i], light));
        draw(&mut canvas, mesh(quad.to_vec()), everywhere());
        assert_eq!(canvas.pixel(0, 0), Some(Color32::from_rgb(178, 153, 128)));
    }

    #[test]
    fn colours_are_interpolated_across_a_triangle() {
        let mut canvas = Canvas::new(10, 1, Color32::BLACK);
        let (black, white) = (Color32::BLACK, Color32::WHITE);
        let strip = [
            vertex(pos2(0.0, 0.0), black),
            vertex(pos2(10.0, 0.0), white),
            vertex(pos2(10.0, 1.0), white),
            vertex(pos2(0.0, 0.0), black),
            vertex(pos2(10.0, 1.0), white),
            vertex(pos2(0.0, 1.0), black),
        ];
        draw(&mut canvas, mesh(strip.to_vec()), everywhere());
        let reds: Vec<u8> = (0..10)
            .filter_map(|x| canvas.pixel(x, 0))
            .map(|p| p.r())
            .collect();
        assert!(reds.windows(2).all(|w| w[0] < w[1]), "{reds:?}");
        // Pixel centre 4.5 of 10: 45 % of the way to white.
        assert!(reds[4].abs_diff(115) <= 1, "{reds:?}");
    }

    #[test]
    fn textures_take_patches_and_are_freed() {
        let mut textures = textures();
        let id = TextureId::default();
        let patch = egui::ColorImage::filled([2, 1], Color32::GREEN);
        textures.set(
            id,
            &ImageDelta::partial([1, 0], patch, TextureOptions::NEAREST),
        );
        let texture = &textures.textures[&id];
        assert_eq!(texture.texel(1, 0), Color32::GREEN);
        assert_eq!(texture.texel(2, 0), Color32::GREEN);
        assert_eq!(texture.texel(3, 0), Color32::RED);
        let mut delta = egui::TexturesDelta::default();
        delta.free.insert(id);
        textures.apply_frees(&mut delta);
        assert!(textures.is_empty());
    }

    #[test]
    fn bilinear_sampling_mixes_neighbouring_texels() {
        let mut image = egui::ColorImage::filled([2, 1], Color32::BLACK);
        image.pixels[1] = Color32::WHITE;
        let texture = Texture {
            size: image.size,
            pixels: image.pixels,
            options: TextureOptions::LINEAR,
        };
        // Half way between the two texel centres (0.25 and 0.75).
        let [r, _, _, a] = texture.sample([0.5, 0.5]);
        assert!((r - 127.5).abs() < 0.01 && (a - 255.0).abs() < 0.01);
        // At a texel centre: that texel; beyond the edge: clamped.
        assert_eq!(texture.sample([0.75, 0.5])[0], 255.0);
        assert_eq!(texture.sample([-1.0, 0.5])[0], 0.0);
    }

    use std::collections::HashSet;
}
