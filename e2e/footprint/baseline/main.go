// Command baseline is the floor for e2e/footprint: a program that links
// only the four platform packages waardenbot needs (slack-go, Mattermost's
// model, bbolt, robfig/cron), uses each of them a little, and serves
// GET /healthz (and answers POST /slack/commands with a constant). It reads WAARDENBOT_SLACK_LISTEN and WAARDENBOT_DATA_DIR and
// stops on SIGINT or SIGTERM. It is not part of the bot.
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/robfig/cron/v3"
	"github.com/slack-go/slack"
	bolt "go.etcd.io/bbolt"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	dir := os.Getenv("WAARDENBOT_DATA_DIR")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	db, err := bolt.Open(filepath.Join(dir, "waardenbot.db"), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return err
	}
	defer db.Close()
	c := cron.New()
	c.Start()
	defer c.Stop()
	api := slack.New("xoxb-baseline", slack.OptionAPIURL("http://127.0.0.1:9/"))
	go api.AuthTestContext(ctx)
	mm := model.NewAPIv4Client("http://127.0.0.1:9")
	go mm.GetMe(ctx, "")

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) })
	// A constant answer, so that footprint -ask works here too.
	mux.HandleFunc("POST /slack/commands", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"text":"Privacy"}`))
	})
	srv := &http.Server{Addr: os.Getenv("WAARDENBOT_SLACK_LISTEN"), Handler: mux}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		return err
	}
	return nil
}
