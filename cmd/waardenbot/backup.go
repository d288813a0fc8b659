package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/waardenbot/waardenbot/bot/store"
	"github.com/waardenbot/waardenbot/internal/control"
)

// backup handles `waardenbot backup --out FILE`: a copy of the data file
// from the running bot, through its control socket, or, when no bot runs,
// from the file itself.
func (e *cliEnv) backup(args []string) int {
	fs := e.flags("backup", "backup --out FILE [--config FILE]")
	configFlag := fs.String("config", "", "configuration file (TOML); its data_dir says where the data file and the control socket are")
	out := fs.String("out", "", "the file to write (mode 0600), replaced when it exists; - writes to stdout")
	if code, stop := parse(fs, args); stop {
		return code
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "Usage: waardenbot backup --out FILE [--config FILE]")
		return exitUsage
	}
	cfg, err := loadConfig(e.configPath(*configFlag), e.environ)
	if err != nil {
		return e.fail(err)
	}
	if err := cfg.fileBackups(); err != nil {
		return e.fail(err)
	}
	var from string
	copyTo := func(w io.Writer) (int64, error) {
		n, err := control.RequestBackup(e.ctx, cfg.SocketPath(), w)
		from = "the running bot"
		if errors.Is(err, control.ErrNoBot) {
			from = "the data file " + cfg.DBPath() + " (no bot runs)"
			n, err = store.BackupFile(e.ctx, cfg.DBPath(), w)
			if errors.Is(err, store.ErrInUse) {
				err = fmt.Errorf("%w, but it does not answer on %s: stop it and run backup again, or rely on its scheduled backups ([backup]); a console holds the file too", err, cfg.SocketPath())
			}
		}
		return n, err
	}
	if *out == "-" {
		n, err := copyTo(e.stdout)
		if err != nil {
			return e.fail(fmt.Errorf("backup: %w", err))
		}
		fmt.Fprintf(e.stderr, "backup of %d bytes written to stdout from %s\n", n, from)
		return exitOK
	}
	c, err := writeBackup(*out, copyTo)
	if err != nil {
		return e.fail(fmt.Errorf("backup: %w", err))
	}
	fmt.Fprintf(e.stdout, "backup written to %s from %s: %s\n", *out, from, c)
	return exitOK
}

// writeBackup writes a copy through a file of its own next to path, checks
// it with store.Inspect and renames it to path.
func writeBackup(path string, copyTo func(io.Writer) (int64, error)) (store.Summary, error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".waardenbot-backup-*.partial") // mode 0600
	if err != nil {
		return store.Summary{}, err
	}
	defer os.Remove(f.Name()) // once renamed, this removes nothing
	_, err = copyTo(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return store.Summary{}, err
	}
	c, err := store.Inspect(f.Name())
	if err != nil {
		return store.Summary{}, fmt.Errorf("the copy does not check out: %w", err)
	}
	return c, os.Rename(f.Name(), path)
}

// restore handles `waardenbot restore FILE`.
func (e *cliEnv) restore(args []string) int {
	fs := e.flags("restore", "restore [--config FILE] [--force] FILE")
	configFlag := fs.String("config", "", "configuration file (TOML); its data_dir says where the data file is")
	force := fs.Bool("force", false, "restore a backup of another installation over a data file that holds polls, votes or schedules")
	if code, stop := parse(fs, args); stop {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "Usage: waardenbot restore [--config FILE] [--force] FILE")
		return exitUsage
	}
	cfg, err := loadConfig(e.configPath(*configFlag), e.environ)
	if err != nil {
		return e.fail(err)
	}
	if err := cfg.fileBackups(); err != nil {
		return e.fail(err)
	}
	r, err := store.Restore(fs.Arg(0), cfg.DBPath(), *force, time.Now())
	switch {
	case errors.Is(err, store.ErrInUse):
		return e.fail(fmt.Errorf("restore refused, nothing changed: %w; stop the bot first (systemctl stop waardenbot), then restore again", err))
	case errors.Is(err, store.ErrOtherInstallation):
		return e.fail(fmt.Errorf("restore refused, nothing changed: %w; if you mean it (moving to a new server), restore again with --force", err))
	case err != nil:
		return e.fail(fmt.Errorf("restore refused, nothing changed: %w", err))
	}
	fmt.Fprintf(e.stdout, "restored %s to %s: %s\n", fs.Arg(0), cfg.DBPath(), r.Summary)
	if r.Previous != "" {
		fmt.Fprintf(e.stdout, "the data file it replaced is kept as %s; delete it once the bot runs well\n", r.Previous)
	}
	return exitOK
}
