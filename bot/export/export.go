// Package export turns a poll and its result into files that leave the
// chat: a chart (PNG, with alt text), a CSV for spreadsheets, the values
// paragraph for a council proposal (Markdown and printable HTML), and
// JSON. Every format is a pure function of its Input: the same poll, tally
// and words give the same bytes, so the chat, the console and `waardenbot
// export` hand out the same files.
//
// It writes no sentence of its own. Every word in a file comes from
// Words, the bot's message catalog (keys "export.…"), so files are in
// the bot's language; the numbers follow it too (the decimal mark and the
// CSV separator are catalog entries).
//
// What a file may show follows the chat's rules: a poll that hides its
// counts while it is open has no counts in any export (the bot refuses
// the single-poll formats; ChannelCSV leaves the counts empty), and an
// anonymous poll's files hold no user ID or name at all: not the
// creator's (not even its keyed hash), and VotesCSV, the only format that
// names voters, refuses it.
package export

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/waardenbot/waardenbot/bot/poll"
	"github.com/waardenbot/waardenbot/knowledge"
)

// Words gives the sentences and labels of the files in the bot's
// language: the bot's message catalog, whose T formats the message for
// key with args (plural forms chosen by the first int).
type Words interface {
	T(key string, args ...any) string
}

// Input is what an export of one poll is made from.
type Input struct {
	Poll   poll.Poll
	Tally  poll.Tally
	Result poll.Result // poll.Service.Result of Poll and Tally

	KB  *knowledge.Base // the book: clusters (their colours), opinions, citation
	Loc *time.Location  // the zone dates are written in
	Now time.Time       // tells an open poll from a closed one

	// Members is the number of members of the poll's channel as the
	// platform counts them (the bot included); 0 when unknown.
	Members int

	// Earlier are earlier rounds of the same casus in the same channel
	// (poll.SameCasus), oldest first, for the paragraph's "how views
	// moved".
	Earlier []Round
}

// Round is an earlier poll on the same casus with its tally.
type Round struct {
	Poll  poll.Poll
	Tally poll.Tally
}

// shown reports whether the poll's counts may be exported.
func (in *Input) shown() bool { return in.Poll.CountsShown(in.Now) }

// closed reports whether the poll takes no more votes.
func (in *Input) closed() bool { return in.Poll.IsClosed(in.Now) }

// when writes a moment as a spreadsheet reads it, in the input's zone:
// "2026-12-01 17:00"; the zero time as nothing.
func (in *Input) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	loc := in.Loc
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

// closedAt is when the poll closed: by hand, or at its deadline when the
// deadline passed before anything noticed; zero while it is open.
func (in *Input) closedAt() time.Time {
	switch {
	case in.Poll.Closed:
		return in.Poll.ClosedAt
	case in.closed():
		return in.Poll.ClosesAt
	}
	return time.Time{}
}

// bar is one option as charts and tables show it: its votes and where it
// belongs.
type bar struct {
	opt   poll.Option
	votes int
}

// group is the options of one cluster (or those not on the map, or a
// statement's three answers) in the order the files show them.
type group struct {
	name  string // the cluster; empty for options not on the map and for a statement's
	onMap bool
	votes int
	bars  []bar
}

// groups orders the options for a chart and a table: in a value poll by
// cluster, the clusters with the most votes first and the values not on
// the map last, and within a cluster the values with the most votes
// first (the poll's order on ties); a statement keeps eens, neutraal,
// oneens as one group.
func (in *Input) groups() []group {
	p := in.Poll
	if p.Kind != poll.Values {
		g := group{}
		for _, o := range p.Options {
			g.bars = append(g.bars, bar{o, in.Tally.Votes[o.Key]})
			g.votes += in.Tally.Votes[o.Key]
		}
		return []group{g}
	}
	var out []group
	var off *group
	at := map[string]int{}
	for _, o := range p.Options {
		b := bar{o, in.Tally.Votes[o.Key]}
		if !o.OnMap {
			if off == nil {
				off = &group{}
			}
			off.bars, off.votes = append(off.bars, b), off.votes+b.votes
			continue
		}
		i, ok := at[o.Cluster]
		if !ok {
			i = len(out)
			at[o.Cluster] = i
			out = append(out, group{name: o.Cluster, onMap: true})
		}
		out[i].bars, out[i].votes = append(out[i].bars, b), out[i].votes+b.votes
	}
	slices.SortStableFunc(out, func(a, b group) int { return cmp.Compare(b.votes, a.votes) })
	if off != nil {
		out = append(out, *off)
	}
	for _, g := range out {
		slices.SortStableFunc(g.bars, func(a, b bar) int { return cmp.Compare(b.votes, a.votes) })
	}
	return out
}

// totalVotes is the number of choices made: a voter who picked three
// values counts three times.
func (in *Input) totalVotes() int {
	n := 0
	for _, o := range in.Poll.Options {
		n += in.Tally.Votes[o.Key]
	}
	return n
}

// percent is n out of total as a whole percentage, rounded half up; 0
// without a total.
func percent(n, total int) int {
	if total == 0 {
		return 0
	}
	return (100*n + total/2) / total
}

// share is n out of total as a percentage with one decimal, in the
// language's notation ("80,0" in Dutch, "80.0" in English); empty without
// a total.
func share(w Words, n, total int) string {
	if total == 0 {
		return ""
	}
	tenths := (1000*n + total/2) / total
	return fmt.Sprintf("%d%s%d", tenths/10, w.T("export.decimal_mark"), tenths%10)
}

// clusterLabel is an option's cluster as files name it, or that it is not
// on the map.
func clusterLabel(w Words, o poll.Option) string {
	if o.OnMap {
		return o.Cluster
	}
	return w.T("export.offmap")
}

// value finds the Waardenkaart's value an option stands for.
func value(kb *knowledge.Base, o poll.Option) *knowledge.Value {
	if kb == nil || !o.OnMap {
		return nil
	}
	for _, v := range kb.Values() {
		if v.Name == o.Label && v.Cluster.Name == o.Cluster {
			return v
		}
	}
	return nil
}
