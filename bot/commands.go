package bot

import (
	"context"
	"strings"

	"github.com/agnivade/levenshtein"
)

// command is one thing the bot can do: its name as typed, the longest
// argument it accepts, and its handler.
type command struct {
	name    string
	maxArgs int
	run     func(context.Context, Request) Reply
	instant bool // answered from memory, without I/O: see Bot.Instant
}

// lookupMax is the longest query a lookup takes; a search box needs no more.
const lookupMax = 200

// commandList is the bot's commands in the order help shows them.
func (b *Bot) commandList() []command {
	return []command{
		{name: "waarde", maxArgs: lookupMax, run: b.waarde, instant: true},
		{name: "vragen", maxArgs: lookupMax, run: b.vragen, instant: true},
		{name: "casus", maxArgs: casusArgsMax, run: b.casus},
		{name: "stelling", maxArgs: casusArgsMax, run: b.stelling},
		{name: "stem", maxArgs: lookupMax * 2, run: b.stem},
		{name: "sluit", maxArgs: lookupMax, run: b.sluit},
		{name: "uitslag", maxArgs: lookupMax, run: b.uitslag},
		{name: "peilingen", maxArgs: lookupMax, run: b.peilingen},
		{name: "reflectie", maxArgs: lookupMax, run: b.reflectie},
		{name: "debat", maxArgs: debatMax, run: b.debat},
		{name: "help", maxArgs: lookupMax, run: func(context.Context, Request) Reply { return b.help() }, instant: true},
	}
}

func (b *Bot) commandTable() map[string]command {
	t := map[string]command{}
	for _, c := range b.commandList() {
		t[c.name] = c
	}
	// Mattermost has a /help of its own; there the bot's help is /waardenbot.
	t["waardenbot"] = t["help"]
	return t
}

// Instant reports whether a command is answered from memory alone, in
// microseconds and without touching the data file: the lookups and the
// help. Adapters answer those inline; other commands may wait for a disk
// commit, and an adapter with a deadline (Slack's 3 seconds) runs them
// with a fallback. Unknown commands are instant: they get the help.
func (b *Bot) Instant(command string) bool {
	c, ok := b.commands[normalizeCommand(command)]
	return !ok || c.instant
}

// help lists the commands with an example each. It is only for the asker.
func (b *Bot) help() Reply {
	var sb strings.Builder
	sb.WriteString(b.msg.T("help.intro"))
	sb.WriteString("\n\n" + b.msg.T("help.list") + "\n")
	for _, c := range b.commandList() {
		sb.WriteString("- " + b.msg.T("help."+c.name) + "\n")
	}
	sb.WriteString("\n" + b.msg.T("help.mention"))
	return Reply{Text: sb.String(), Ephemeral: true}
}

// unknownCommand answers a command the bot does not know with the closest
// known one and the help.
func (b *Bot) unknownCommand(name string) Reply {
	best, bestD := "", 3
	for _, c := range b.commandList() {
		if d := levenshtein.ComputeDistance(name, c.name); d < bestD {
			best, bestD = c.name, d
		}
	}
	text := b.msg.T("err.unknown_command", Quote(name, 40))
	if best != "" {
		text += " " + b.msg.T("err.did_you_mean", best)
	}
	h := b.help()
	return Reply{Text: text + "\n\n" + h.Text, Ephemeral: true, Status: Refused}
}

// refuse is a reply for input the bot does not accept.
func (b *Bot) refuse(key string, args ...any) Reply {
	return Reply{Text: b.msg.T(key, args...), Ephemeral: true, Status: Refused}
}

// cite appends the book's citation, which every answer from the book
// carries once.
func (b *Bot) cite(sb *strings.Builder) string {
	sb.WriteString("\n\n" + b.msg.T("source", b.kb.Citation()))
	return sb.String()
}

// joinBold lists names in bold: **a**, **b** and **c** are kept simple as
// a comma list, which reads well in every language.
func joinBold(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "**" + n + "**"
	}
	return strings.Join(out, ", ")
}
