//! `p14p flash`: puts the firmware on a board by copying it to the USB
//! mass-storage drive the board shows: the micro:bit's `.hex` to its
//! MICROBIT drive (its interface chip, DAPLink, programs the nRF51 from the
//! file, then the drive disconnects and comes back), or the Raspberry Pi
//! Pico's `.uf2` to its RPI-RP2 drive (the RP2040's boot ROM shows it while
//! BOOTSEL is held at power-up, writes the UF2 blocks to flash, then
//! reboots into them). That is the whole flashing protocol, so nothing
//! here talks to the chip.
//!
//! A `.uf2` goes to RPI-RP2, anything else to MICROBIT; with no file, the
//! Pico's `.uf2` when only an RPI-RP2 drive is mounted, else the
//! micro:bit's `.hex`. The drive is found in `/proc/mounts` (a mount point
//! named after the label), else at `/media/$USER/LABEL`,
//! `/run/media/$USER/LABEL` or `/Volumes/LABEL`; `--drive DIR` names it.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The `.hex` `scripts/firmware.sh build --board microbit` makes, relative
/// to the repository's root.
pub const DEFAULT_HEX: &str = "ports/microbit/target/thumbv6m-none-eabi/release/p14p-microbit.hex";

/// The `.uf2` `scripts/firmware.sh build --board pico` makes, relative to
/// the repository's root.
pub const DEFAULT_UF2: &str = "ports/pico/target/thumbv6m-none-eabi/release/p14p-pico.uf2";

/// A board whose drive takes its firmware.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Board {
    /// The drive's volume label.
    label: &'static str,
    /// The firmware `scripts/firmware.sh` builds for it.
    default: &'static str,
    /// `--board` for scripts/firmware.sh.
    name: &'static str,
    /// The file's kind, in messages.
    kind: &'static str,
    /// How the drive appears.
    how: &'static str,
    /// What happens after the copy.
    after: &'static str,
}

/// The BBC micro:bit: its interface chip's drive.
const MICROBIT: Board = Board {
    label: "MICROBIT",
    default: DEFAULT_HEX,
    name: "microbit",
    kind: ".hex",
    how: "plug the micro:bit in by USB",
    after: "the micro:bit programs itself, then its drive reconnects",
};

/// The Raspberry Pi Pico: the boot ROM's drive.
const PICO: Board = Board {
    label: "RPI-RP2",
    default: DEFAULT_UF2,
    name: "pico",
    kind: ".uf2",
    how: "hold BOOTSEL while plugging the Pico in by USB",
    after: "the Pico writes it to flash and reboots into p14p (then /dev/ttyACM0)",
};

/// Copies `file` (or the default firmware) to `drive` (or the board's
/// drive found mounted). Fails, saying exactly what to do, when there is
/// no firmware or no drive.
pub fn flash(file: Option<&Path>, drive: Option<&Path>) -> io::Result<()> {
    let board = match file {
        Some(f) if f.extension().is_some_and(|e| e.eq_ignore_ascii_case("uf2")) => PICO,
        Some(_) => MICROBIT,
        None if find_drive(MICROBIT.label).is_none() && find_drive(PICO.label).is_some() => PICO,
        None => MICROBIT,
    };
    let hex = file.unwrap_or(Path::new(board.default));
    if !hex.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "no firmware at {} (build it with `scripts/firmware.sh build --board {}` in the p14p repository, or name a {})",
                hex.display(),
                board.name,
                board.kind
            ),
        ));
    }
    let drive = match drive {
        Some(d) => d.to_path_buf(),
        None => find_drive(board.label).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "no {label} drive is mounted: {how} (the drive appears as \
                     {label}; mount it if your system does not, e.g. \
                     `udisksctl mount -b /dev/sdX`), then run p14p flash again, or \
                     name the drive's directory with --drive DIR; or copy the {kind} \
                     onto the drive by hand",
                    label = board.label,
                    how = board.how,
                    kind = board.kind
                ),
            )
        })?,
    };
    if !drive.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "{} is not a directory (the {} drive's mount point)",
                drive.display(),
                board.label
            ),
        ));
    }
    let name = hex.file_name().unwrap_or(hex.as_os_str());
    let target = drive.join(name);
    // Written and synced before returning: the interface chip (or boot
    // ROM) starts programming when the file is complete, and unplugging
    // before the data reached the drive leaves the board unflashed.
    let data = fs::read(hex)?;
    let mut file = fs::File::create(&target)?;
    io::Write::write_all(&mut file, &data)?;
    file.sync_all()?;
    println!(
        "copied {} ({} bytes) to {}; {}",
        hex.display(),
        data.len(),
        target.display(),
        board.after
    );
    Ok(())
}

/// A mounted drive labelled `label`, if one is found.
fn find_drive(label: &str) -> Option<PathBuf> {
    if let Ok(mounts) = fs::read_to_string("/proc/mounts") {
        if let Some(p) = mounted(&mounts, label) {
            return Some(p);
        }
    }
    let user = std::env::var("USER").unwrap_or_default();
    [
        format!("/media/{user}/{label}"),
        format!("/run/media/{user}/{label}"),
        format!("/Volumes/{label}"),
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.is_dir())
}

/// The first mount point in `/proc/mounts` text whose last component is
/// `label` (spaces in paths are written `\040` there; the labels have
/// none).
fn mounted(mounts: &str, label: &str) -> Option<PathBuf> {
    mounts
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .map(PathBuf::from)
        .find(|p| p.file_name().is_some_and(|n| n == label))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_drive_in_proc_mounts() {
        let mounts = "/dev/sda1 / ext4 rw 0 0\n\
                      /dev/sdb /media/ann/MICROBIT vfat rw,nosuid 0 0\n";
        assert_eq!(
            mounted(mounts, "MICROBIT"),
            Some(PathBuf::from("/media/ann/MICROBIT"))
        );
        assert_eq!(mounted(mounts, "RPI-RP2"), None);
        assert_eq!(mounted("/dev/sda1 / ext4 rw 0 0\n", "MICROBIT"), None);
        assert_eq!(
            mounted("/dev/sdc /mnt/MICROBITX vfat rw 0 0\n", "MICROBIT"),
            None
        );
        assert_eq!(
            mounted("/dev/sdd /media/ann/RPI-RP2 vfat rw 0 0\n", "RPI-RP2"),
            Some(PathBuf::from("/media/ann/RPI-RP2"))
        );
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

    #[test]
    fn copies_a_uf2_to_the_pico_drive() {
        let dir = std::env::temp_dir().join(format!("p14p-flash-uf2-{}", std::process::id()));
        let drive = dir.join("RPI-RP2");
        fs::create_dir_all(&drive).unwrap();
        let uf2 = dir.join("fw.uf2");
        fs::write(&uf2, [0x55u8; 512]).unwrap();
        flash(Some(&uf2), Some(&drive)).unwrap();
        assert_eq!(fs::read(drive.join("fw.uf2")).unwrap(), [0x55u8; 512]);
        let missing = flash(Some(&dir.join("none.uf2")), Some(&drive)).unwrap_err();
        assert!(missing
            .to_string()
            .contains("scripts/firmware.sh build --board pico"));
        let no_drive = flash(Some(&uf2), Some(&dir.join("absent"))).unwrap_err();
        assert!(no_drive.to_string().contains("RPI-RP2 drive's mount point"));
        fs::remove_dir_all(&dir).unwrap();
    }
}
