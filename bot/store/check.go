package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// A Problem is what CheckFile or CheckBackupDir found wrong, and what to do.
type Problem struct {
	What string
	Fix  string
}

func (p *Problem) Error() string { return p.What + ": " + p.Fix }

// CheckFile says, without changing anything, whether the data file at path
// can be opened, or made, with the right permissions by the user running
// the check (run it as the bot's user): what it found, or a *Problem.
func CheckFile(path string) (string, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		dir, err := writableAncestor(filepath.Dir(path))
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s does not exist yet; the bot will make it (mode 0600) in %s", path, dir), nil
	}
	if err != nil {
		return "", &Problem{What: err.Error(), Fix: "run check as the bot's user, or give that user the data directory (chown)"}
	}
	c, err := Inspect(path)
	switch {
	case errors.Is(err, ErrInUse):
		return path + " is held by a running waardenbot, which opened it", nil
	case errors.Is(err, ErrDamaged), errors.Is(err, ErrNotDataFile):
		return "", &Problem{What: err.Error(), Fix: "move it aside and restore the newest backup (waardenbot restore FILE)"}
	case err != nil:
		return "", &Problem{What: err.Error(), Fix: "run check as the bot's user, or give that user the data file (chown)"}
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return "", &Problem{What: path + " cannot be written: " + err.Error(), Fix: "give the bot's user the data file (chown; mode 0600)"}
	}
	f.Close()
	mode := "mode 0600"
	if perm := fi.Mode().Perm(); perm != 0o600 {
		mode = fmt.Sprintf("mode %04o, which the bot makes 0600 when it opens it", perm)
	}
	return fmt.Sprintf("%s opens: %s; %s", path, c, mode), nil
}

// CheckBackupDir says whether the bot can write copies into dir, and what
// is there.
func CheckBackupDir(dir string) (string, error) {
	names, times, err := listBackups(dir)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		parent, err := writableAncestor(filepath.Dir(dir))
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s does not exist yet; the bot will make it (mode 0700) in %s", dir, parent), nil
	}
	if err != nil {
		return "", &Problem{What: err.Error(), Fix: "run check as the bot's user, or give that user the folder (chown)"}
	}
	if _, err := writableAncestor(dir); err != nil {
		return "", err
	}
	if len(names) == 0 {
		return dir + " is writable; no backups yet", nil
	}
	newest := times[len(times)-1]
	copies := "copies"
	if len(names) == 1 {
		copies = "copy"
	}
	return fmt.Sprintf("%s is writable; %d %s, the newest from %s (%s ago)", dir, len(names), copies,
		newest.Local().Format(time.DateTime), time.Since(newest).Round(time.Minute)), nil
}

// writableAncestor is the nearest folder at or above dir that exists, when
// a file can be made in it.
func writableAncestor(dir string) (string, error) {
	for {
		fi, err := os.Stat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist) && filepath.Dir(dir) != dir:
			dir = filepath.Dir(dir)
			continue
		case err != nil:
			return "", &Problem{What: err.Error(), Fix: "run check as the bot's user, or give that user the folder (chown)"}
		case !fi.IsDir():
			return "", &Problem{What: dir + " is not a folder", Fix: "choose another path (data_dir, backup.dir)"}
		}
		// A file made and removed at once is the only sure way to know.
		f, err := os.CreateTemp(dir, ".waardenbot-check-*")
		if err != nil {
			return "", &Problem{What: "no file can be made in " + dir + ": " + err.Error(),
				Fix: "give the bot's user that folder (chown, mode 0700); under systemd keep data_dir and backup.dir inside /var/lib/waardenbot"}
		}
		f.Close()
		os.Remove(f.Name())
		return dir, nil
	}
}
