package mattermost

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/waardenbot/waardenbot/bot"
)

// Files (a chart, a CSV, a document) come with a reply as data
// (bot.Reply.Files); the adapter only uploads them (POST /files, into the
// channel the reply goes to) and attaches them to the post that carries
// the reply's text (Post.FileIds), so that text and files arrive as one
// post. Mattermost has no alt text for a file; the chart's post carries
// the result as text, which is what its alt text says.
//
// A private reply's files cannot go with an ephemeral answer: they go,
// with the text, to the asker's direct channel with the bot, and the
// ephemeral answer says so.
//
// An upload that fails for a reason that may pass (no connection, 429,
// a 5xx) is tried again with the adapter's back-off (the one its
// WebSocket reconnects with: doubling, with jitter), up to uploadAttempts
// times in all, within uploadBudget; 413 (larger than the server's
// FileSettings.MaxFileSize) and other refusals are not. The text is
// posted in any case, without the files that failed, and the asker is
// told which did not go out.

// uploadAttempts is how many times one file is tried.
const uploadAttempts = 4

// uploadBudget bounds the uploads of one reply, waits included, so that
// the text still goes out within Mattermost's 30 seconds for a slash
// command.
const uploadBudget = 12 * time.Second

// postReply posts r's text in channel (a reply in the thread of rootID,
// if any) with r's files attached; a private reply goes, text and files,
// to user's direct channel with the bot instead. It returns what to tell
// the asker privately about the files ("" when there is nothing to say),
// and an error only when the text did not go out.
func (a *Adapter) postReply(ctx context.Context, channel, rootID, user string, r bot.Reply) (note string, err error) {
	if r.Ephemeral {
		me := a.self()
		if me == nil {
			return a.bot.T("files.failed", fileNames(r.Files), "Mattermost"), fmt.Errorf("the bot does not know itself yet")
		}
		dm, err := a.rest.directChannel(ctx, me.Id, user)
		if err != nil {
			return a.bot.T("files.failed", fileNames(r.Files), "Mattermost"), fmt.Errorf("open a direct channel with user %s: %w", user, err)
		}
		channel, rootID = dm.Id, ""
	}
	ids, note := a.uploadAll(ctx, channel, r.Files)
	if err := a.createPosts(ctx, channel, rootID, r.Text, ids...); err != nil {
		return note, err
	}
	if note == "" && r.Ephemeral && len(r.Files) > 0 {
		note = a.bot.T("files.private")
	}
	return note, nil
}

// uploadAll uploads files into channel and returns the IDs of those that
// went up, and what to tell the asker about those that did not.
func (a *Adapter) uploadAll(ctx context.Context, channel string, files []bot.File) (ids []string, note string) {
	if len(files) == 0 {
		return nil, ""
	}
	ctx, cancel := context.WithTimeout(ctx, uploadBudget)
	defer cancel()
	var failed []bot.File
	key := "files.failed"
	for _, f := range files {
		id, code, err := a.upload(ctx, channel, f)
		if err != nil {
			a.log.Error("file not uploaded; the reply's text goes out without it", "file", f.Name, "channel", channel, "status", code, "error", err, "fix", "check that file uploads are enabled (System Console > Site Configuration > File Sharing and Downloads) and the file size limit; the text went out")
			failed = append(failed, f)
			if code == http.StatusRequestEntityTooLarge {
				key = "files.too_large"
			}
			continue
		}
		ids = append(ids, id)
	}
	if len(failed) > 0 {
		note = a.bot.T(key, fileNames(failed), "Mattermost")
	}
	return ids, note
}

// upload uploads one file into channel and returns its ID, trying again
// while the failure may pass; on failure it returns the last HTTP status
// (0 without an answer).
func (a *Adapter) upload(ctx context.Context, channel string, f bot.File) (string, int, error) {
	b := a.newBackoff()
	for attempt := 1; ; attempt++ {
		id, err := a.rest.uploadFile(ctx, channel, f.Name, f.Data)
		if err == nil {
			return id, http.StatusOK, nil
		}
		code := httpStatus(err)
		again := code == 0 || code == http.StatusTooManyRequests || code >= 500
		if !again || attempt >= uploadAttempts || ctx.Err() != nil {
			return "", code, err
		}
		wait := b.next()
		if e := (*apiError)(nil); errors.As(err, &e) {
			if s, err := strconv.Atoi(e.Header.Get("Retry-After")); err == nil && s > 0 {
				wait = min(time.Duration(s)*time.Second, a.maxBackoff)
			}
		}
		a.log.Warn("file upload failed; trying again", "file", f.Name, "attempt", attempt, "status", code, "wait", wait, "error", err)
		if !sleep(ctx, wait) {
			return "", code, err
		}
	}
}

// fileNames lists the files' names for a sentence.
func fileNames(files []bot.File) string {
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = "`" + f.Name + "`"
	}
	return strings.Join(names, ", ")
}
