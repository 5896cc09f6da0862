//! `p14p flash`: puts the micro:bit firmware on a board by copying its
//! `.hex` to the board's MICROBIT drive, the USB mass-storage drive its
//! interface chip (DAPLink) shows. The interface chip programs the nRF51
//! from the file, then the drive disconnects and comes back: that is the
//! whole flashing protocol, so nothing here talks to the chip.
//!
//! The drive is found in `/proc/mounts` (a mount point named `MICROBIT`),
//! else at `/media/$USER/MICROBIT`, `/run/media/$USER/MICROBIT` or
//! `/Volumes/MICROBIT`; `--drive DIR` names it.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The `.hex` `scripts/firmware.sh build --board microbit` makes, relative
/// to the repository's root.
pub const DEFAULT_HEX: &str = "ports/microbit/target/thumbv6m-none-eabi/release/p14p-microbit.hex";

/// The volume label of the micro:bit's drive.
const LABEL: &str = "MICROBIT";

/// Copies `hex` (or [`DEFAULT_HEX`]) to `drive` (or the MICROBIT drive
/// found mounted). Fails, saying exactly what to do, when there is no
/// `.hex` or no drive.
pub fn flash(hex: Option<&Path>, drive: Option<&Path>) -> io::Result<()> {
    let hex = hex.unwrap_or(Path::new(DEFAULT_HEX));
    if !hex.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "no firmware at {} (build it with `scripts/firmware.sh build --board microbit` in the p14p repository, or name a .hex)",
                hex.display()
            ),
        ));
    }
    let drive = match drive {
        Some(d) => d.to_path_buf(),
        None => find_drive().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                "no MICROBIT drive is mounted: plug the micro:bit in by USB (the drive \
                 appears as MICROBIT; mount it if your system does not, e.g. \
                 `udisksctl mount -b /dev/sdX`), then run p14p flash again, or \
                 name the drive's directory with --drive DIR; or copy the .hex \
                 onto the drive by hand",
            )
        })?,
    };
    if !drive.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "{} is not a directory (the MICROBIT drive's mount point)",
                drive.display()
            ),
        ));
    }
    let name = hex.file_name().unwrap_or(hex.as_os_str());
    let target = drive.join(name);
    // Written and synced before returning: the interface chip starts
    // programming when the file is complete, and unplugging before the
    // data reached the drive leaves the board unflashed.
    let data = fs::read(hex)?;
    let mut file = fs::File::create(&target)?;
    io::Write::write_all(&mut file, &data)?;
    file.sync_all()?;
    println!(
        "copied {} ({} bytes) to {}; the micro:bit programs itself, then its drive reconnects",
        hex.display(),
        data.len(),
        target.display()
    );
    Ok(())
}

/// A mounted MICROBIT drive, if one is found.
fn find_drive() -> Option<PathBuf> {
    if let Ok(mounts) = fs::read_to_string("/proc/mounts") {
        if let Some(p) = mounted(&mounts) {
            return Some(p);
        }
    }
    let user = std::env::var("USER").unwrap_or_default();
    [
        format!("/media/{user}/{LABEL}"),
        format!("/run/media/{user}/{LABEL}"),
        format!("/Volumes/{LABEL}"),
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.is_dir())
}

/// The first mount point in `/proc/mounts` text whose last component is
/// the MICROBIT label (spaces in paths are written `\040` there; the label
/// has none).
fn mounted(mounts: &str) -> Option<PathBuf> {
    mounts
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .map(PathBuf::from)
        .find(|p| p.file_name().is_some_and(|n| n == LABEL))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_drive_in_proc_mounts() {
        let mounts = "/dev/sda1 / ext4 rw 0 0\n\
                      /dev/sdb /media/ann/MICROBIT vfat rw,nosuid 0 0\n";
        assert_eq!(mounted(mounts), Some(PathBuf::from("/media/ann/MICROBIT")));
        assert_eq!(mounted("/dev/sda1 / ext4 rw 0 0\n"), None);
        assert_eq!(mounted("/dev/sdc /mnt/MICROBITX vfat rw 0 0\n"), None);
    }

    #[test]
    fn copies_the_hex_to_the_drive() {
        let dir = std::env::temp_dir().join(format!("p14p-flash-{}", std::process::id()));
        let drive = dir.join("MICROBIT");
        fs::create_dir_all(&drive).unwrap();
        let hex = dir.join("fw.hex");
        fs::write(&hex, b":00000001FF\n").unwrap();
        flash(Some(&hex), Some(&drive)).unwrap();
        assert_eq!(fs::read(drive.join("fw.hex")).unwrap(), b":00000001FF\n");
        let missing = flash(Some(&dir.join("none.hex")), Some(&drive)).unwrap_err();
        assert!(missing
            .to_string()
            .contains("scripts/firmware.sh build --board microbit"));
        let no_drive = flash(Some(&hex), Some(&dir.join("absent"))).unwrap_err();
        assert!(no_drive.to_string().contains("not a directory"));
        fs::remove_dir_all(&dir).unwrap();
    }
}
