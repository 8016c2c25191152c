//! Records the commit the binary is built from, for `event-atlas --version` and Help ▸ About.
//!
//! `EVENT_ATLAS_COMMIT` (the environment) wins, for builds from a source archive without git
//! history (a distribution's package); otherwise git is asked; without either, "unknown".

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=EVENT_ATLAS_COMMIT");
    let commit = std::env::var("EVENT_ATLAS_COMMIT")
        .ok()
        .filter(|commit| !commit.trim().is_empty())
        .or_else(commit_from_git)
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=EVENT_ATLAS_COMMIT={}", commit.trim());
    windows::embed_icon();
}

/// "3d0f58e, 2026-12-01": the short hash and the commit's date. Rerun when HEAD moves.
fn commit_from_git() -> Option<String> {
    for file in git_files_naming_head() {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    let described = git(&["log", "-1", "--format=%h, %cs"])?;
    (!described.is_empty()).then_some(described)
}

/// HEAD, the branch it points to (a loose ref file) and packed-refs: a commit, a checkout or
/// a `git gc` changes one of them. Only files that exist: cargo reruns for a missing one
/// every time.
fn git_files_naming_head() -> Vec<PathBuf> {
    let mut names = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        names.push(branch);
    }
    names
        .iter()
        .filter_map(|name| git(&["rev-parse", "--git-path", name]))
        .map(PathBuf::from)
        .filter(|path| path.is_file())
        .collect()
}

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8(output.stdout)
        .ok()
        .map(|text| text.trim().to_owned())
}

/// The icon Windows' Explorer and taskbar show for event-atlas.exe (a resource in the
/// executable; the window's own icon is set at run time on every platform).
#[cfg(windows)]
mod windows {
    pub fn embed_icon() {
        println!("cargo:rerun-if-changed=assets/icon/event-atlas.ico");
        let mut resource = winresource::WindowsResource::new();
        resource.set_icon("assets/icon/event-atlas.ico");
        if let Err(error) = resource.compile() {
            println!("cargo:warning=the icon was not embedded in event-atlas.exe: {error}");
        }
    }
}

#[cfg(not(windows))]
mod windows {
    pub fn embed_icon() {}
}
