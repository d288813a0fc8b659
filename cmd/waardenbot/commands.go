package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/waardenbot/waardenbot/adapters/console"
	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/store"
)

// flags returns a flag set that prints its usage on e.stderr and never
// exits the process.
func (e *cliEnv) flags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: waardenbot %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args and returns the exit code to stop with, if any.
func parse(fs *flag.FlagSet, args []string) (int, bool) {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK, true
	case err != nil:
		return exitUsage, true
	}
	return 0, false
}

// run starts every adapter enabled in the config; with none it runs the
// console. It stops cleanly when the context is cancelled (SIGINT/SIGTERM).
func (e *cliEnv) run(args []string) int {
	fs := e.flags("run", "[run] [--config FILE] [--version]")
	configFlag := fs.String("config", "", "configuration file (TOML); default $WAARDENBOT_CONFIG or ./waardenbot.toml")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if code, stop := parse(fs, args); stop {
		return code
	}
	if *showVersion {
		fmt.Fprintln(e.stdout, versionString())
		return exitOK
	}
	cfg, _, _, err := e.setup(*configFlag, false, nil)
	if err != nil {
		return e.fail(err)
	}
	switch {
	case cfg.Slack.Enabled:
		return e.fail(&ConfigError{Key: "slack.enabled", Problem: "the Slack adapter is not in this version yet; set it to false"})
	case cfg.Mattermost.Enabled:
		return e.fail(&ConfigError{Key: "mattermost.enabled", Problem: "the Mattermost adapter is not in this version yet; set it to false"})
	}
	return e.console([]string{"--config", e.configPath(*configFlag)})
}

// console runs the interactive console.
func (e *cliEnv) console(args []string) int {
	fs := e.flags("console", "console [--config FILE] [--user NAME] [--channel NAME] [--db PATH]")
	configFlag := fs.String("config", "", "configuration file (TOML)")
	user := fs.String("user", "", "your user name in the console (default from [console] user)")
	channel := fs.String("channel", "", "the channel the console speaks in (default from [console] channel)")
	dbPath := fs.String("db", "", "data file (default data_dir/waardenbot.db)")
	if code, stop := parse(fs, args); stop {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "waardenbot console: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	db := &lazyStore{path: *dbPath}
	defer db.Close()
	cfg, b, log, err := e.setup(*configFlag, false, db)
	if err != nil {
		return e.fail(err)
	}
	// Open the file now, so that a file in use is reported at once.
	if _, err := db.open(); err != nil {
		return e.fail(err)
	}
	log.Debug("data file open", "path", db.path)
	c := console.New(b, e.stdin, e.stdout, console.Config{
		User:    firstNonEmpty(*user, cfg.Console.User),
		Channel: firstNonEmpty(*channel, cfg.Console.Channel),
		Prompt:  isTerminal(e.stdin),
		Lang:    cfg.Lang,
	})
	// The scheduler posts into the console; it stops with the console or
	// on SIGINT/SIGTERM, and the console waits for it.
	ctx, cancel := context.WithCancel(e.ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := b.Scheduler().Run(ctx, bot.Posters{"console": c}); err != nil {
			log.Error("scheduler stopped", "err", err)
		}
	})
	err = c.Run(ctx)
	cancel()
	wg.Wait()
	if err != nil {
		return e.fail(err)
	}
	return exitOK
}

// ask answers one command on stdout: exit 0 when answered, 1 when nothing
// was found or the input was refused, 2 on a usage error.
func (e *cliEnv) ask(args []string) int {
	fs := e.flags("ask", "ask [--config FILE] [--db PATH] [--user NAME] [--channel NAME] [--json] 'COMMAND'")
	configFlag := fs.String("config", "", "configuration file (TOML)")
	dbPath := fs.String("db", "", "data file (default data_dir/waardenbot.db); opened only by commands that keep state (/reflectie, /debat)")
	user := fs.String("user", "", "user name for the request (default from [console] user)")
	channel := fs.String("channel", "", "channel for the request (default from [console] channel)")
	asJSON := fs.Bool("json", false, `print {"text":…,"ephemeral":…} instead of Markdown`)
	if code, stop := parse(fs, args); stop {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "waardenbot ask: give exactly one command, quoted, e.g. waardenbot ask '/waarde privacy'")
		return exitUsage
	}
	db := &lazyStore{path: *dbPath}
	defer db.Close()
	cfg, b, _, err := e.setup(*configFlag, true, db)
	if err != nil {
		return e.fail(err)
	}
	u := firstNonEmpty(*user, cfg.Console.User)
	req := bot.Request{Platform: "console", Channel: firstNonEmpty(*channel, cfg.Console.Channel), User: u, UserName: u}
	reply := b.HandleText(e.ctx, req, fs.Arg(0))
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(jsonReply{Text: reply.Text, Ephemeral: reply.Ephemeral}); err != nil {
			return e.fail(err)
		}
	} else {
		fmt.Fprintln(e.stdout, reply.Text)
	}
	if reply.Status != bot.Answered {
		return exitRefused
	}
	return exitOK
}

// jsonReply is the --json form of a reply; later fields are additions.
type jsonReply struct {
	Text      string `json:"text"`
	Ephemeral bool   `json:"ephemeral"`
}

// kb handles `kb export`.
func (e *cliEnv) kb(args []string) int {
	if len(args) == 0 || args[0] != "export" {
		fmt.Fprintln(e.stderr, "Usage: waardenbot kb export [--config FILE]")
		return exitUsage
	}
	fs := e.flags("kb export", "kb export [--config FILE]")
	configFlag := fs.String("config", "", "configuration file (TOML); its knowledge_file is included")
	if code, stop := parse(fs, args[1:]); stop {
		return code
	}
	_, b, _, err := e.setup(*configFlag, true, nil)
	if err != nil {
		return e.fail(err)
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b.Knowledge().Export()); err != nil {
		return e.fail(err)
	}
	return exitOK
}

// lazyStore opens the data file the first time it is needed, so that
// `waardenbot ask '/waarde privacy'` never touches it.
type lazyStore struct {
	path string
	once sync.Once
	st   *store.Store
	err  error
}

func (l *lazyStore) open() (bot.ScheduleStore, error) {
	l.once.Do(func() { l.st, l.err = store.Open(l.path) })
	if l.err != nil {
		return nil, l.err
	}
	return l.st, nil
}

// Close closes the file if it was opened.
func (l *lazyStore) Close() {
	if l.st != nil {
		l.st.Close()
	}
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// isTerminal reports whether r is an interactive terminal, so that the
// console prints a prompt there and not into a pipe.
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
