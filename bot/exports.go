package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/waardenbot/waardenbot/bot/export"
	"github.com/waardenbot/waardenbot/bot/poll"
)

// The files of a poll's result (package bot/export) as replies carry
// them: /uitslag ID grafiek|csv|paragraaf|stemmen, /peilingen csv, the
// chart at the close of a casus, and `waardenbot export`.

// Media types of the files.
const (
	typePNG      = "image/png"
	typeCSV      = "text/csv; charset=utf-8"
	typeMarkdown = "text/markdown; charset=utf-8"
	typeHTML     = "text/html; charset=utf-8"
	typeJSON     = "application/json"
)

// ExportFormats are the formats of one poll that `waardenbot export`
// writes; ExportChannel writes "csv".
var ExportFormats = []string{"csv", "png", "md", "html", "json"}

// ErrUnknownFormat means an export format the bot does not make.
var ErrUnknownFormat = errors.New("unknown export format")

// exportInput is what the files of p with tally t are made from: members
// as the platform counted them for the request (0: unknown), and with
// rounds the earlier polls on the same casus in the channel.
func (b *Bot) exportInput(ctx context.Context, p poll.Poll, t poll.Tally, members int, rounds bool) export.Input {
	in := export.Input{Poll: p, Tally: t, Result: b.polls.Result(p, t), KB: b.kb, Loc: b.cfg.Location, Now: b.now(), Members: members}
	if !rounds {
		return in
	}
	earlier, tallies, err := b.polls.Polls(ctx, func(q poll.Poll) bool { return poll.SameCasus(p, q) })
	if err != nil {
		b.log.Warn("earlier rounds of a casus not read; the paragraph leaves them out", "poll", p.ID, "err", err)
		return in
	}
	for i, q := range earlier {
		in.Earlier = append(in.Earlier, export.Round{Poll: q, Tally: tallies[i]})
	}
	return in
}

// members is how many people the platform says are in req's channel (the
// same count, from the same Roster and cache, as a poll's participation
// line); 0 when it cannot tell.
func (b *Bot) members(ctx context.Context, req Request) int {
	if n, ok := b.memberCount(ctx, destination(req)); ok {
		return n
	}
	return 0
}

// fileName is "peiling-ab3k-grafiek.png" in the bot's language.
func (b *Bot) fileName(p poll.Poll, what, ext string) string {
	return fmt.Sprintf("%s-%s-%s.%s", b.msg.T("export.file.poll"), p.ID, b.msg.T("export.file."+what), ext)
}

// file is one file of poll p.
func (b *Bot) file(p poll.Poll, what, ext, typ string, data []byte) File {
	return File{Name: b.fileName(p, what, ext), Type: typ, Title: b.msg.T("export.file.title", p.ID, b.msg.T("export.file."+what)), Data: data}
}

// chartFile is the chart of a poll as a file.
func (b *Bot) chartFile(in export.Input) (File, error) {
	png, alt, err := export.Chart(in, b.msg)
	if err != nil {
		return File{}, err
	}
	f := b.file(in.Poll, "chart", "png", typePNG, png)
	f.Alt = alt
	return f, nil
}

// closeFiles are the files that go with the result of a poll that just
// closed: a casus gets its chart. A chart that cannot be drawn is logged
// and left out; the result's text goes out without it.
func (b *Bot) closeFiles(ctx context.Context, p poll.Poll, t poll.Tally) []File {
	if p.Kind != poll.Values {
		return nil
	}
	f, err := b.chartFile(b.exportInput(ctx, p, t, 0, false))
	if err != nil {
		b.log.Error("chart of a closed poll not drawn; the result goes out without it", "poll", p.ID, "err", err, "fix", "a bug: report it with this line; /uitslag ID grafiek tries again")
		return nil
	}
	return []File{f}
}

// paragraphFiles are the values paragraph as Markdown and HTML.
func (b *Bot) paragraphFiles(in export.Input) ([]File, error) {
	md, html, err := export.Paragraph(in, b.msg)
	if err != nil {
		return nil, err
	}
	return []File{
		b.file(in.Poll, "paragraph", "md", typeMarkdown, md),
		b.file(in.Poll, "paragraph", "html", typeHTML, html),
	}, nil
}

// channelFile is every poll of a channel in one CSV file, or nil when
// keep accepts none.
func (b *Bot) channelFile(ctx context.Context, name string, keep func(poll.Poll) bool, members int) (*File, int, error) {
	polls, tallies, err := b.polls.Polls(ctx, keep)
	if err != nil || len(polls) == 0 {
		return nil, 0, err
	}
	ins := make([]export.Input, len(polls))
	for i, p := range polls {
		ins[i] = b.exportInput(ctx, p, tallies[i], members, false)
	}
	f := File{
		Name:  fmt.Sprintf("%s-%s.csv", b.msg.T("export.file.channel"), fileSafe(name)),
		Type:  typeCSV,
		Title: b.msg.T("export.file.channel"),
		Data:  export.ChannelCSV(ins, b.msg),
	}
	return &f, len(polls), nil
}

// fileSafe keeps the letters, digits, dashes and dots of a channel ID
// or name for a file name.
func fileSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '-' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, s)
	return strings.Trim(s, "._")
}

// ExportPoll makes one file of poll id, in one of ExportFormats, for the
// command line (`waardenbot export`): what /uitslag ID grafiek, csv and
// paragraaf make, and the result as JSON. It refuses an unknown format
// (ErrUnknownFormat), a poll that does not exist (an error wrapping
// poll.ErrNotFound) and one that hides its counts while it is open
// (poll.ErrCountsHidden). The channel's members are not known here.
func (b *Bot) ExportPoll(ctx context.Context, id, format string) (File, error) {
	if b.polls == nil {
		return File{}, ErrNoPolls
	}
	if !slices.Contains(ExportFormats, format) {
		return File{}, fmt.Errorf("%w %q", ErrUnknownFormat, format)
	}
	p, t, err := b.polls.Get(ctx, id)
	if err != nil {
		return File{}, err
	}
	if !p.CountsShown(b.now()) {
		return File{}, poll.ErrCountsHidden
	}
	in := b.exportInput(ctx, p, t, 0, format == "md" || format == "html")
	switch format {
	case "csv":
		return b.file(p, "result", "csv", typeCSV, export.CSV(in, b.msg)), nil
	case "png":
		return b.chartFile(in)
	case "json":
		data, err := export.JSON(in)
		return b.file(p, "result", "json", typeJSON, data), err
	}
	files, err := b.paragraphFiles(in)
	if err != nil {
		return File{}, err
	}
	if format == "md" {
		return files[0], nil
	}
	return files[1], nil
}

// ExportChannel is every poll of the channel with this ID, on any
// platform, in one CSV file, for the command line (`waardenbot export
// --channel`). A channel without polls gives an error wrapping
// poll.ErrNotFound.
func (b *Bot) ExportChannel(ctx context.Context, channel string) (File, error) {
	if b.polls == nil {
		return File{}, ErrNoPolls
	}
	f, _, err := b.channelFile(ctx, channel, func(p poll.Poll) bool { return p.Where.Channel == channel }, 0)
	switch {
	case err != nil:
		return File{}, err
	case f == nil:
		return File{}, fmt.Errorf("no polls in channel %q: %w", channel, poll.ErrNotFound)
	}
	return *f, nil
}
