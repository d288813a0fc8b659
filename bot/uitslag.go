package bot

import (
	"context"
	"strings"

	"github.com/waardenbot/waardenbot/bot/export"
	"github.com/waardenbot/waardenbot/bot/poll"
)

// resultFormat is the file a word after /uitslag ID asks for, in Dutch
// as the command reads and in English.
func resultFormat(word string) (string, bool) {
	switch word {
	case "grafiek", "chart", "png":
		return "chart", true
	case "csv":
		return "csv", true
	case "paragraaf", "paragraph":
		return "paragraph", true
	case "stemmen", "votes":
		return "votes", true
	}
	return "", false
}

// uitslag answers /uitslag ID: the current or final result, for anyone in
// the poll's channel; with grafiek, csv or paragraaf after the ID that
// result as a file (see uitslagFile).
func (b *Bot) uitslag(ctx context.Context, req Request) Reply {
	if b.polls == nil {
		return b.noPolls()
	}
	id, word, _ := strings.Cut(strings.TrimSpace(req.Args), " ")
	if poll.NormalizeID(id) == "" {
		return b.refuse("result.usage")
	}
	word = strings.ToLower(strings.TrimSpace(word))
	format, ok := resultFormat(word)
	if word != "" && !ok {
		return b.refuse("export.usage", Quote(word, 20), Quote(poll.NormalizeID(id), 10))
	}
	if format == "votes" {
		return b.votesFile(ctx, req, id)
	}
	p, t, err := b.polls.Show(ctx, destination(req), id)
	if err != nil {
		return b.pollRefusal("result", err, nil)
	}
	v := b.pollView(ctx, p, t, true)
	reply := Reply{Text: v.Parts().Result.Markdown(), Poll: v, Ephemeral: !p.CountsShown(b.now())}
	if format == "" {
		return reply
	}
	if reply.Ephemeral {
		return b.refuse("export.hidden", p.ID)
	}
	return b.uitslagFile(ctx, req, p, t, format, reply)
}

// uitslagFile answers /uitslag ID grafiek, csv or paragraaf: the file
// for the channel, as /uitslag ID itself is. The chart comes with the
// result's text (the chart is an addition to it, never the only carrier);
// the CSV and the paragraph with a line that names them. result is the
// reply to /uitslag ID.
func (b *Bot) uitslagFile(ctx context.Context, req Request, p poll.Poll, t poll.Tally, format string, result Reply) Reply {
	in := b.exportInput(ctx, p, t, 0, format == "paragraph")
	var files []File
	var text string
	switch format {
	case "chart":
		f, err := b.chartFile(in)
		if err != nil {
			return b.internal("draw chart", err)
		}
		result.Files = []File{f}
		return result
	case "csv":
		in.Members = b.members(ctx, req)
		f := b.file(p, "result", "csv", typeCSV, export.CSV(in, b.msg))
		files, text = []File{f}, b.msg.T("export.reply.csv", p.ID, f.Name)
	case "paragraph":
		in.Members = b.members(ctx, req)
		fs, err := b.paragraphFiles(in)
		if err != nil {
			return b.internal("write paragraph", err)
		}
		files, text = fs, b.msg.T("export.reply.paragraph", p.ID, fs[0].Name, fs[1].Name)
	}
	return Reply{Text: text, Files: files}
}

// votesFile answers /uitslag ID stemmen: who voted what, as a CSV file,
// only to the poll's creator or an admin, only privately, and never for
// an anonymous poll (poll.Service.Voters decides).
func (b *Bot) votesFile(ctx context.Context, req Request, id string) Reply {
	p, t, casts, err := b.polls.Voters(ctx, person(req), id, b.configuredAdmin(req), req.Admin)
	if err != nil {
		return b.pollRefusal("who voted what", err, nil)
	}
	data, err := export.VotesCSV(b.exportInput(ctx, p, t, 0, false), casts, b.msg)
	if err != nil {
		return b.internal("who voted what", err)
	}
	f := b.file(p, "votes", "csv", typeCSV, data)
	return Reply{Text: b.msg.T("export.reply.votes", p.ID, f.Name), Files: []File{f}, Ephemeral: true}
}
