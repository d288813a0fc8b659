package bot_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/store"
	"github.com/waardenbot/waardenbot/knowledge"
)

// What the command table says about the data file holds: a command that
// needs none answers without opening it (so `waardenbot ask` never waits
// for a file a running bot holds), and one that needs it opens it.
func TestOnlyCommandsThatNeedTheDataFileOpenIt(t *testing.T) {
	kb := knowledge.MustLoad()
	for _, c := range bot.New(kb, bot.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil))).Commands() {
		t.Run(c.Name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "w.db")
			st := store.New(path)
			defer st.Close()
			b := bot.New(kb, bot.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)),
				bot.WithStore(st))
			for _, args := range []string{"", "status", "lijst", "ab3k 1", "Mag de gemeente dit? | privacy, orde"} {
				b.HandleText(context.Background(), bot.Request{Platform: "console", Channel: "raad", User: "anna"}, "/"+c.Name+" "+args)
			}
			_, err := os.Stat(path)
			if opened := err == nil; opened != bot.NeedsStore(c.Name) {
				t.Errorf("/%s opened the data file: %v; the command table says it needs it: %v", c.Name, opened, bot.NeedsStore(c.Name))
			}
		})
	}
}
