package export

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// The CSV files are made for a spreadsheet in the bot's language, Excel
// with Dutch settings first:
//
//   - The separator is the catalog's (export.csv_separator): a semicolon in
//     Dutch, because the comma is the Dutch decimal mark and Excel with
//     Dutch regional settings splits a CSV at semicolons; a comma in
//     English.
//   - Shares are percentages with one decimal and the catalog's decimal
//     mark ("80,0"), which Excel reads as a number in that locale.
//   - The file starts with a UTF-8 byte-order mark: without it Excel reads
//     a CSV as Windows-1252 and shows Hiërarchie as HiÃ«rarchie.
//   - Lines end in CRLF (RFC 4180); fields with the separator, quotes or
//     line breaks are quoted.
//   - Dates are "2026-12-01 17:00" in the bot's zone, which Excel reads as
//     a date and time.
//   - Text that people typed and that starts with =, +, -, @, a tab or a
//     carriage return gets a leading apostrophe, so that a spreadsheet
//     shows it as text and never runs it as a formula (CSV injection).
//
// One table holds everything, each row with the poll's own columns (ID,
// casus, settings, creator, start, close, voters, channel members), so
// that a poll's file and a channel's file have the same columns and can
// be pasted under each other or read into one pivot table; a header block
// above the table would break both.

// bom is the UTF-8 byte-order mark.
const bom = "\ufeff"

// columns are the catalog keys of the columns, in order.
var columns = []string{
	"export.col.poll", "export.col.kind", "export.col.question", "export.col.anonymous", "export.col.hidden",
	"export.col.max", "export.col.creator", "export.col.started", "export.col.deadline", "export.col.closed",
	"export.col.voters", "export.col.members", "export.col.row", "export.col.key", "export.col.option",
	"export.col.cluster", "export.col.on_map", "export.col.votes", "export.col.share_voters", "export.col.share_votes",
}

// CSV is the result of one poll as a table: one row per option, most
// votes first within its cluster (as the chart groups them), then one row
// per cluster of the Waardenkaart with its votes added up. The poll's
// counts must be shown (Poll.CountsShown): the bot refuses the export of
// a hidden open poll before it gets here, and CSV leaves the counts empty
// if it does not.
func CSV(in Input, w Words) []byte {
	t := newTable(w)
	t.header()
	for _, g := range in.groups() {
		for _, b := range g.bars {
			t.optionRow(&in, b)
		}
	}
	for _, g := range in.groups() {
		if g.onMap {
			t.clusterRow(&in, g)
		}
	}
	return t.bytes()
}

// ChannelCSV is every poll of a channel in one table: one row per option
// per poll, polls oldest first, options in each poll's own order. A poll
// that hides its counts while open has its votes and shares left empty.
func ChannelCSV(polls []Input, w Words) []byte {
	t := newTable(w)
	t.header()
	for i := range polls {
		in := &polls[i]
		for _, o := range in.Poll.Options {
			t.optionRow(in, bar{o, in.Tally.Votes[o.Key]})
		}
	}
	return t.bytes()
}

// VotesCSV is who voted what in a poll that is not anonymous: one row per
// voter (the platform's user ID, the name they had when they voted, when
// they voted), with a column per option holding 1 when they chose it and
// 0 when not, so that a sum of a column is the option's count. Only the
// poll's creator or an admin may have it, and only privately: the bot
// decides that (poll.Service.Voters). An anonymous poll is refused with
// poll.ErrAnonymous, whatever casts are given.
func VotesCSV(in Input, casts []poll.Cast, w Words) ([]byte, error) {
	if in.Poll.Anon {
		return nil, poll.ErrAnonymous
	}
	t := newTable(w)
	head := []string{w.T("export.col.poll"), w.T("export.col.user"), w.T("export.col.name"), w.T("export.col.voted_at")}
	for _, o := range in.Poll.Options {
		head = append(head, text(o.Label))
	}
	t.row(head)
	for _, c := range casts {
		row := []string{in.Poll.ID, text(c.Voter), text(c.Vote.Name), in.when(c.Vote.At)}
		for _, o := range in.Poll.Options {
			row = append(row, strconv.Itoa(boolInt(slices.Contains(c.Vote.Choices, o.Key))))
		}
		t.row(row)
	}
	return t.bytes(), nil
}

// table writes the rows of one CSV file.
type table struct {
	w   Words
	buf bytes.Buffer
	csv *csv.Writer
}

func newTable(w Words) *table {
	t := &table{w: w}
	t.buf.WriteString(bom)
	t.csv = csv.NewWriter(&t.buf)
	t.csv.UseCRLF = true
	if r, _ := utf8.DecodeRuneInString(w.T("export.csv_separator")); r != utf8.RuneError {
		t.csv.Comma = r
	}
	return t
}

func (t *table) header() {
	head := make([]string, len(columns))
	for i, k := range columns {
		head[i] = t.w.T(k)
	}
	t.row(head)
}

// row writes one row; a bytes.Buffer does not fail.
func (t *table) row(cells []string) { _ = t.csv.Write(cells) }

func (t *table) bytes() []byte {
	t.csv.Flush()
	return t.buf.Bytes()
}

// pollCells are the columns every row of a poll starts with.
func (t *table) pollCells(in *Input) []string {
	p := in.Poll
	creator := ""
	if !p.Anon {
		creator = text(p.Name)
	}
	max := ""
	if p.Kind == poll.Values {
		max = strconv.Itoa(p.Max)
	}
	members := ""
	if in.Members > 0 {
		members = strconv.Itoa(in.Members)
	}
	return []string{
		p.ID, t.w.T("export.kind." + string(p.Kind)), text(p.Question), t.yesNo(p.Anon), t.yesNo(p.Hidden),
		max, creator, in.when(p.Created), in.when(p.ClosesAt), in.when(in.closedAt()),
		strconv.Itoa(in.Tally.Voters), members,
	}
}

// optionRow writes one option of a poll.
func (t *table) optionRow(in *Input, b bar) {
	cluster, onMap := "", ""
	if in.Poll.Kind == poll.Values {
		cluster, onMap = clusterName(b.opt), t.yesNo(b.opt.OnMap)
	}
	row := append(t.pollCells(in), t.w.T("export.row.option"), text(b.opt.Key), text(b.opt.Label), cluster, onMap)
	t.row(append(row, t.counts(in, b.votes)...))
}

// clusterRow writes the votes of a cluster added up.
func (t *table) clusterRow(in *Input, g group) {
	row := append(t.pollCells(in), t.w.T("export.row.cluster"), "", "", text(g.name), t.yesNo(true))
	t.row(append(row, t.counts(in, g.votes)...))
}

// counts are the votes, the share of the voters and the share of all
// votes cast; empty while the poll hides its counts.
func (t *table) counts(in *Input, votes int) []string {
	if !in.shown() {
		return []string{"", "", ""}
	}
	return []string{strconv.Itoa(votes), share(t.w, votes, in.Tally.Voters), share(t.w, votes, in.totalVotes())}
}

func (t *table) yesNo(b bool) string {
	if b {
		return t.w.T("export.yes")
	}
	return t.w.T("export.no")
}

// clusterName is an option's cluster, or nothing for a value that is not
// on the map (the column "on the Waardenkaart" says so).
func clusterName(o poll.Option) string {
	if o.OnMap {
		return text(o.Cluster)
	}
	return ""
}

// text makes a cell that people typed safe for a spreadsheet: one that
// starts like a formula gets a leading apostrophe.
func text(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
