package bot

import (
	"context"
	"strings"

	"github.com/agnivade/levenshtein"
)

// command is one thing the bot can do, defined once in commandTable.
// Everything else that lists commands derives from it: the router
// (Handle), the help and the "did you mean" answer, Instant, and
// Commands, from which adapters register slash commands with their
// platform (Mattermost) or write the platform's app manifest (Slack).
//
// Its words are in the catalog under keys made from its name:
// "help.NAME" is its line in the help, which starts with the command and
// its argument hint ("`/waarde [naam]`: …"); "cmd.NAME.hint" is that hint
// and "cmd.NAME.summary" a one-line description, for the platforms'
// command lists. TestCommandTable holds them together.
type command struct {
	name     string   // as typed, without the slash: "waarde"
	aliases  []string // other words that run it
	examples []string // arguments its help line shows ("`/waarde privacy`")
	maxArgs  int      // the longest argument it accepts, in bytes
	instant  bool     // answered from memory, without I/O: see Bot.Instant
	cache    bool     // the answer depends on the arguments alone: see Bot.Cacheable
	store    bool     // keeps or reads state in the data file (polls, schedules)
	run      func(*Bot, context.Context, Request) Reply
}

// lookupMax is the longest query a lookup takes; a search box needs no more.
const lookupMax = 200

// commandTable is the bot's commands in the order help shows them.
func commandTable() []command {
	return []command{
		{name: "waarde", examples: []string{"privacy", "vrijheid", "camera"}, maxArgs: lookupMax, instant: true, cache: true, run: (*Bot).waarde},
		{name: "vragen", examples: []string{"beveiliging", "bestuur", "5g"}, maxArgs: lookupMax, instant: true, cache: true, run: (*Bot).vragen},
		{name: "casus", maxArgs: casusArgsMax, store: true, run: (*Bot).casus},
		{name: "stelling", maxArgs: casusArgsMax, store: true, run: (*Bot).stelling},
		{name: "stem", examples: []string{"ab3k 1 3"}, maxArgs: lookupMax * 2, store: true, run: (*Bot).stem},
		{name: "sluit", maxArgs: lookupMax, store: true, run: (*Bot).sluit},
		{name: "uitslag", examples: []string{"ab3k grafiek", "ab3k csv", "ab3k paragraaf"}, maxArgs: lookupMax, store: true, run: (*Bot).uitslag},
		{name: "peilingen", examples: []string{"csv"}, maxArgs: lookupMax, store: true, run: (*Bot).peilingen},
		{name: "optie", examples: []string{"ab3k toegankelijkheid"}, maxArgs: lookupMax, store: true, run: (*Bot).optie},
		{name: "wijzig", examples: []string{"ab3k duur=3d", "ab3k | privacy, orde"}, maxArgs: casusArgsMax, store: true, run: (*Bot).wijzig},
		{name: "reflectie", examples: []string{"status", "uit", "nu", "pauze tot 2027-01-10", "hervat", "overslaan"}, maxArgs: lookupMax, store: true, run: (*Bot).reflectie},
		{name: "debat", examples: []string{"2026-12-10 19:30 Camera's in de binnenstad", "lijst"}, maxArgs: debatMax, store: true, run: (*Bot).debat},
		// Mattermost has a /help of its own that a custom command cannot
		// replace; there the bot's help is /waardenbot.
		{name: "help", aliases: []string{"waardenbot"}, maxArgs: lookupMax, instant: true, cache: true, run: (*Bot).helpCommand},
	}
}

// index maps every name and alias of the commands to its command.
func index(cmds []command) map[string]command {
	t := make(map[string]command, len(cmds)+1)
	for _, c := range cmds {
		t[c.name] = c
		for _, a := range c.aliases {
			t[a] = c
		}
	}
	return t
}

// CommandInfo describes one of the bot's commands for an adapter that
// lists the commands on its platform: Mattermost's slash commands with
// their autocomplete, Slack's app manifest.
type CommandInfo struct {
	Name    string   // as typed, without the slash: "waarde"
	Aliases []string // other words that run it ("waardenbot" for help), for a platform where Name is taken
	Hint    string   // its arguments, as the help shows them: "[naam]"; empty when it takes none
	Summary string   // what it does, in one line of at most 128 bytes (Mattermost's limit)
}

// Commands describes the bot's commands in help order, with hints and
// summaries in the bot's language.
func (b *Bot) Commands() []CommandInfo {
	out := make([]CommandInfo, len(b.table))
	for i, c := range b.table {
		out[i] = CommandInfo{
			Name:    c.name,
			Aliases: c.aliases,
			Hint:    b.msg.T("cmd." + c.name + ".hint"),
			Summary: b.msg.T("cmd." + c.name + ".summary"),
		}
	}
	return out
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

// Cacheable reports whether the answer to command depends on nothing but
// the command and its arguments, as Handle is given them: the lookups, the
// help, and the help for an unknown command. Such an answer is made from
// the knowledge base and in the bot's language, which do not change while
// the bot runs; not from who asks, where, when, or the data file; and it
// is text alone, without a poll, a form or files. So an adapter may keep
// what it made of one (rendered for its platform, encoded for the wire)
// and send that again for the same command and arguments, without asking
// the bot, for as long as this Bot runs. Cacheable commands are Instant.
func (b *Bot) Cacheable(command string) bool {
	c, ok := b.commands[normalizeCommand(command)]
	return !ok || c.cache
}

// help lists the commands with an example each. It is only for the asker.
func (b *Bot) help() Reply {
	var sb strings.Builder
	sb.WriteString(b.msg.T("help.intro"))
	sb.WriteString("\n\n" + b.msg.T("help.list") + "\n")
	for _, c := range b.table {
		sb.WriteString("- " + b.msg.T("help."+c.name) + "\n")
	}
	sb.WriteString("\n" + b.msg.T("help.mention"))
	return Reply{Text: sb.String(), Ephemeral: true}
}

// helpCommand answers /help.
func (b *Bot) helpCommand(context.Context, Request) Reply { return b.help() }

// unknownCommand answers a command the bot does not know with the closest
// known one and the help.
func (b *Bot) unknownCommand(name string) Reply {
	best, bestD := "", 3
	for _, c := range b.table {
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
