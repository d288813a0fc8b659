package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/poll"
	"github.com/waardenbot/waardenbot/bot/store"
)

// export writes one poll's result, or every poll of a channel, as a file:
// what /uitslag ID grafiek|csv|paragraaf and /peilingen csv make in the
// chat, for a griffie that works outside the chat or with a copy of the
// data file.
func (e *cliEnv) export(args []string) int {
	fs := e.flags("export", "export [--config FILE] [--db PATH] (--poll ID --format csv|png|md|html|json | --channel ID --format csv) [--out FILE]")
	configFlag := fs.String("config", "", "configuration file (TOML); its lang chooses the language of the files")
	dbPath := fs.String("db", "", "data file (default data_dir/waardenbot.db); a copy of it works as well")
	pollID := fs.String("poll", "", "the poll to export")
	channel := fs.String("channel", "", "export every poll of this channel (its ID, or its name in the console) as one CSV file")
	format := fs.String("format", "", "csv, png (the chart), md or html (the values paragraph), json; with --channel only csv")
	out := fs.String("out", "", "write the file here instead of to stdout")
	if code, stop := parse(fs, args); stop {
		return code
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(e.stderr, "waardenbot export: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	case (*pollID == "") == (*channel == ""):
		fmt.Fprintln(e.stderr, "waardenbot export: give either --poll ID or --channel ID")
		return exitUsage
	case *pollID != "" && !validFormat(*format):
		fmt.Fprintf(e.stderr, "waardenbot export: unknown format %q; choose one of %s\n", *format, strings.Join(bot.ExportFormats, ", "))
		return exitUsage
	case *channel != "" && *format != "csv":
		fmt.Fprintf(e.stderr, "waardenbot export: --channel exports csv only, not %q\n", *format)
		return exitUsage
	}
	cfg, kb, log, err := e.setup(*configFlag, true)
	if err != nil {
		return e.fail(err)
	}
	// What the export reads: --db (a file or a postgres:// URL), else the
	// configured store, as openStore chooses.
	path := firstNonEmpty(*dbPath, cfg.DBPath())
	onPostgres := isDSN(*dbPath) || (*dbPath == "" && cfg.Store.Kind == storePostgres)
	if onPostgres {
		path = "the PostgreSQL database"
	} else if _, err := os.Stat(path); err != nil {
		fmt.Fprintf(e.stderr, "waardenbot export: no data file at %s (give it with --db)\n", path)
		return exitRefused
	}
	st, _, err := openStore(e.ctx, cfg, *dbPath, log, true)
	if errors.Is(err, store.ErrInUse) {
		fmt.Fprintf(e.stderr, "waardenbot export: %v\n"+
			"A running waardenbot holds the data file. Export in the chat instead (/uitslag ID csv, /peilingen csv), "+
			"or run export on a copy of the file (a backup, or a copy made while the bot is stopped) with --db.\n", err)
		return exitRefused
	}
	if err != nil {
		return e.fail(err)
	}
	defer st.Close()
	b := newBot(cfg, kb, log, st)
	var f bot.File
	if *pollID != "" {
		f, err = b.ExportPoll(e.ctx, *pollID, *format)
	} else {
		f, err = b.ExportChannel(e.ctx, *channel)
	}
	switch {
	case errors.Is(err, poll.ErrNotFound) && *pollID != "":
		fmt.Fprintf(e.stderr, "waardenbot export: no poll %q in %s (a closed poll is deleted keep_closed after it closed)\n", *pollID, path)
		return exitRefused
	case errors.Is(err, poll.ErrNotFound):
		fmt.Fprintf(e.stderr, "waardenbot export: no polls of channel %q in %s\n", *channel, path)
		return exitRefused
	case errors.Is(err, poll.ErrCountsHidden):
		fmt.Fprintf(e.stderr, "waardenbot export: poll %q hides its counts until it closes; export it once it has closed\n", *pollID)
		return exitRefused
	case err != nil:
		return e.fail(err)
	}
	if *out == "" {
		if _, err := e.stdout.Write(f.Data); err != nil {
			return e.fail(err)
		}
		return exitOK
	}
	if err := writeFile(*out, f.Data); err != nil {
		return e.fail(err)
	}
	fmt.Fprintf(e.stderr, "waardenbot export: wrote %s (%d bytes)\n", *out, len(f.Data))
	return exitOK
}

func validFormat(f string) bool { return slices.Contains(bot.ExportFormats, f) }

// writeFile writes data to path, readable by its owner only: a file may
// hold names (who started a poll).
func writeFile(path string, data []byte) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
	}
	return os.WriteFile(path, data, 0o600)
}
