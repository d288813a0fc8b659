// Package console is the adapter that needs no chat account: it reads
// commands from a reader (a terminal or a pipe) and writes the bot's replies
// to a writer. It is what `waardenbot` runs when no platform is configured.
// It is a bot.Adapter: console.New(b, in, out, cfg), then Run(ctx) until
// the input ends; Post writes what the bot sends on its own (poll results,
// scheduled prompts) between the answers. Files a reply carries (a chart,
// a CSV) are written to a folder (Config.Files), and the console says
// where.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/waardenbot/waardenbot/bot"
)

// Platform is this platform's name in bot requests and destinations.
const Platform = "console"

// Config says who the console user is and how it looks. User and Channel
// are the [console] section of the configuration (toml tags); Prompt and
// Lang follow from where the console runs and from the bot's language.
type Config struct {
	User    string `toml:"user"`    // user name for requests; default "console"
	Channel string `toml:"channel"` // channel for requests; default "console"
	Prompt  bool   `toml:"-"`       // print a prompt before each line (for a terminal)
	Lang    string `toml:"-"`       // "nl" or "en", for the console's own few words
	Files   string `toml:"-"`       // the folder for the files replies carry; default ./export
}

// Console is a read-answer loop over a reader and a writer.
type Console struct {
	bot *bot.Bot
	in  io.Reader
	cfg Config

	mu  sync.Mutex // guards out: replies and scheduled posts interleave
	out io.Writer
}

// The console posts scheduled messages and poll results in the console.
var _ bot.Adapter = (*Console)(nil)

// Platform is "console".
func (c *Console) Platform() string { return Platform }

// New returns a console that answers lines from in with b, on out.
func New(b *bot.Bot, in io.Reader, out io.Writer, cfg Config) *Console {
	if cfg.User == "" {
		cfg.User = "console"
	}
	if cfg.Channel == "" {
		cfg.Channel = "console"
	}
	if cfg.Files == "" {
		cfg.Files = "export"
	}
	return &Console{bot: b, in: in, out: out, cfg: cfg}
}

// maxLine is the longest input line the console reads; longer lines are
// cut there (and the bot then refuses them as too long).
const maxLine = 1 << 20

// Run answers lines until the input ends, the user types "stop" (or quit,
// exit), or ctx is cancelled.
func (c *Console) Run(ctx context.Context) error {
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(c.in)
		sc.Buffer(make([]byte, 64*1024), maxLine)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		errc <- sc.Err()
		close(lines)
	}()
	c.greet()
	for {
		c.prompt()
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				return <-errc
			}
			line = strings.TrimSpace(line)
			switch strings.ToLower(strings.TrimLeft(line, "/")) {
			case "":
				continue
			case "stop", "quit", "exit":
				return nil
			}
			req := bot.Request{Platform: Platform, Channel: c.cfg.Channel, User: c.cfg.User, UserName: c.cfg.User}
			c.write(c.bot.HandleText(ctx, req, line))
		}
	}
}

func (c *Console) greet() {
	if !c.cfg.Prompt {
		return
	}
	greeting := "waardenbot — typ /help voor de commando's, stop om te stoppen."
	if c.cfg.Lang == "en" {
		greeting = "waardenbot — type /help for the commands, stop to quit."
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintln(c.out, greeting)
}

func (c *Console) prompt() {
	if !c.cfg.Prompt {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprint(c.out, "> ")
}

// Post prints a message nobody typed a command for (a poll result at its
// deadline, a scheduled reflection
// prompt, a debate prep card), marked with its channel. It implements
// bot.Poster for the console platform.
func (c *Console) Post(_ context.Context, to bot.Destination, r bot.Reply) error {
	label := "(bericht van waardenbot in #%s)"
	if c.cfg.Lang == "en" {
		label = "(message from waardenbot in #%s)"
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := fmt.Fprintf(c.out, label+"\n%s\n", to.Channel, r.Text); err != nil {
		return fmt.Errorf("console post: %w", err)
	}
	c.files(r.Files)
	fmt.Fprintln(c.out)
	return nil
}

// write prints a reply; a private reply is marked as such, as a chat
// platform would show it only to the asker.
func (c *Console) write(r bot.Reply) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r.Ephemeral {
		label := "(alleen voor jou)"
		if c.cfg.Lang == "en" {
			label = "(only for you)"
		}
		fmt.Fprintln(c.out, label)
	}
	fmt.Fprintln(c.out, r.Text)
	c.files(r.Files)
	fmt.Fprintln(c.out)
}

// files saves a reply's files and says where; c.mu is held.
func (c *Console) files(files []bot.File) {
	if len(files) == 0 {
		return
	}
	fmt.Fprintln(c.out, SaveFiles(c.bot, c.cfg.Files, files))
}

// SaveFiles writes files into dir (made if needed, private to the user:
// a file may name voters) and returns the sentence that says where, in
// the bot's language, or which file could not be saved. A file of the
// same name is replaced: it is the same export made again.
func SaveFiles(b *bot.Bot, dir string, files []bot.File) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	var names []string
	for _, f := range files {
		if err := save(dir, f); err != nil {
			return b.T("files.not_saved", f.Name, dir)
		}
		names = append(names, filepath.Base(f.Name))
	}
	return b.T("files.saved", dir, strings.Join(names, ", "))
}

func save(dir string, f bot.File) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, filepath.Base(f.Name)), f.Data, 0o600)
}
