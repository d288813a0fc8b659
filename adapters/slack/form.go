package slack

import (
	"context"
	"encoding/json"
	"time"

	"github.com/slack-go/slack"

	"github.com/waardenbot/waardenbot/bot"
)

// The bot's forms (bot.Form) are Slack modals: views.open with the
// trigger_id of the slash command or click that asked for one, and a
// view_submission when it is sent. The submission is answered in the
// HTTP response (or the Socket Mode acknowledgement) within Slack's 3
// seconds: with response_action "errors" and a sentence beside each wrong
// field (the field's block_id), which keeps the modal open, or with
// nothing, which closes it; the poll is posted after that answer.

// formCallback is the callback_id of every modal the bot opens.
const formCallback = "waardenbot-form"

// formMeta is what a modal keeps in private_metadata: which form, for
// which poll, and where it was opened. Slack keeps it and sends it back
// with the submission, which is signed (HTTP) or comes over the app's
// socket, so nobody can change it on the way.
type formMeta struct {
	Form    string `json:"f"`
	Poll    string `json:"p,omitempty"`
	Team    string `json:"t,omitempty"`
	Channel string `json:"c"`
}

// Slack's limits for a modal (Block Kit reference).
const (
	maxModalTitle  = 24  // title, submit and close
	maxOptionText  = 75  // an option's text, and a group's label
	maxPlaceholder = 150 // a placeholder
)

// openForm opens f as a modal for the person whose command or click
// carried triggerID, in channel of team.
func (a *Adapter) openForm(ctx context.Context, triggerID, team, channel string, f *bot.Form) error {
	meta, err := json.Marshal(formMeta{Form: f.ID, Poll: f.Poll, Team: team, Channel: channel})
	if err != nil {
		return err
	}
	_, err = a.api.OpenViewContext(ctx, triggerID, modal(f, string(meta)))
	return err
}

// modal is f as a Slack modal: an input block per field, whose block_id
// and action_id are the field's name.
func modal(f *bot.Form, meta string) slack.ModalViewRequest {
	var blocks []slack.Block
	if f.Intro != "" {
		blocks = append(blocks, slack.NewSectionBlock(plain(f.Intro), nil, nil))
	}
	for _, fld := range f.Fields {
		in := slack.NewInputBlock(fld.Name, plain(fld.Label), nil, element(fld))
		if fld.Hint != "" {
			in.Hint = plain(fld.Hint)
		}
		in.Optional = fld.Optional
		blocks = append(blocks, in)
	}
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: formCallback, PrivateMetadata: meta,
		Title: plain(truncate(f.Title, maxModalTitle)), Submit: plain(truncate(f.Submit, maxModalTitle)), Close: plain(truncate(f.Cancel, maxModalTitle)),
		Blocks: slack.Blocks{BlockSet: blocks},
	}
}

// element is the input element of a field.
func element(fld bot.Field) slack.BlockElement {
	var placeholder *slack.TextBlockObject
	if fld.Placeholder != "" {
		placeholder = plain(truncate(fld.Placeholder, maxPlaceholder))
	}
	option := func(o bot.FieldOption) *slack.OptionBlockObject {
		var desc *slack.TextBlockObject
		if o.Hint != "" {
			desc = plain(truncate(o.Hint, maxOptionText))
		}
		return slack.NewOptionBlockObject(o.Value, plain(truncate(o.Label, maxOptionText)), desc)
	}
	switch fld.Kind {
	case bot.FieldChoose:
		var groups []*slack.OptionGroupBlockObject
		index := map[string]int{}
		for _, o := range fld.Options {
			i, ok := index[o.Group]
			if !ok {
				i = len(groups)
				index[o.Group] = i
				groups = append(groups, slack.NewOptionGroupBlockElement(plain(truncate(o.Group, maxOptionText))))
			}
			groups[i].Options = append(groups[i].Options, option(bot.FieldOption{Value: o.Value, Label: o.Label}))
		}
		el := slack.NewOptionsGroupMultiSelectBlockElement(slack.MultiOptTypeStatic, placeholder, fld.Name, groups...)
		if fld.MaxChoices > 0 {
			el = el.WithMaxSelectedItems(fld.MaxChoices)
		}
		return el
	case bot.FieldPick:
		var opts []*slack.OptionBlockObject
		var initial *slack.OptionBlockObject
		for _, o := range fld.Options {
			opt := option(o)
			if o.Value == fld.Default {
				initial = opt
			}
			opts = append(opts, opt)
		}
		el := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, placeholder, fld.Name, opts...)
		el.InitialOption = initial
		return el
	case bot.FieldFlags:
		var opts []*slack.OptionBlockObject
		for _, o := range fld.Options {
			opts = append(opts, option(o))
		}
		return slack.NewCheckboxGroupsBlockElement(fld.Name, opts...)
	}
	el := slack.NewPlainTextInputBlockElement(placeholder, fld.Name)
	el.Multiline = fld.Kind == bot.FieldLong
	el.MaxLength = fld.MaxLength
	return el
}

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}

// formValues are the values of a submitted modal by field name: a text,
// the chosen options' values, or the checked boxes' values.
func formValues(state *slack.ViewState) map[string][]string {
	out := map[string][]string{}
	if state == nil {
		return out
	}
	for block, actions := range state.Values {
		for _, act := range actions {
			switch {
			case act.Value != "":
				out[block] = append(out[block], act.Value)
			case len(act.SelectedOptions) > 0:
				for _, o := range act.SelectedOptions {
					out[block] = append(out[block], o.Value)
				}
			case act.SelectedOption.Value != "":
				out[block] = append(out[block], act.SelectedOption.Value)
			}
		}
	}
	return out
}

// onSubmission answers a view_submission: the errors to show in the
// modal, or nil, which closes it. A valid form's poll is posted (or the
// changed poll redrawn) after the answer. The origin of a submission is
// its view's ID, so the same modal submitted twice makes one poll.
func (a *Adapter) onSubmission(ctx context.Context, cb slack.InteractionCallback) *slack.ViewSubmissionResponse {
	if cb.View.CallbackID != formCallback {
		return nil
	}
	var meta formMeta
	if err := json.Unmarshal([]byte(cb.View.PrivateMetadata), &meta); err != nil || meta.Channel == "" {
		a.log.Warn("a modal came back without its metadata; closed", "view", cb.View.ID)
		return nil
	}
	req := a.request(meta.Team, meta.Channel, cb.User.ID, cb.User.Name)
	done := make(chan bot.FormResult, 1)
	a.work.Go(func() {
		done <- a.bot.SubmitForm(ctx, req, meta.Form, meta.Poll, formValues(cb.View.State), "slack/"+cb.View.ID)
	})
	res, ok := a.waitForm(done)
	if !ok {
		// Slower than Slack waits (a large channel's members are being
		// listed for a reminder): the form was valid, as checking it
		// comes first; close it and finish in the background.
		a.work.Go(func() { a.afterForm(ctx, meta, <-done) })
		return nil
	}
	if len(res.Errors) > 0 {
		return slack.NewErrorsViewSubmissionResponse(res.Errors)
	}
	a.work.Go(func() { a.afterForm(ctx, meta, res) })
	return nil
}

// waitForm waits for a form's result as long as a submission may wait.
func (a *Adapter) waitForm(done <-chan bot.FormResult) (bot.FormResult, bool) {
	t := time.NewTimer(max(a.inlineWait, time.Millisecond))
	defer t.Stop()
	select {
	case res := <-done:
		return res, true
	case <-t.C:
		return bot.FormResult{}, false
	}
}

// afterForm posts the poll a form made, or redraws the poll it changed.
// A poll that cannot be posted as the bot's own message is posted as
// text, as after a typed command.
func (a *Adapter) afterForm(ctx context.Context, meta formMeta, res bot.FormResult) {
	if len(res.Errors) > 0 {
		a.log.Warn("a form was refused after it was closed", "form", meta.Form, "errors", res.Errors)
		return
	}
	r := res.Reply
	if r.Poll == nil || a.bot.AfterReply(ctx, r, a.polls) || !r.PostsPoll() {
		return
	}
	if err := a.send(ctx, meta.Channel, "", "", r); err != nil {
		a.log.Error("poll from a form not posted", "channel", meta.Channel, "error", err, "fix", "check that the bot is in the channel and may post there; the poll exists: /peilingen shows it")
	}
}
