/**
 * Every payload is filed under the workspace Bolt resolved for the installation (context.teamId),
 * never the payload's `team` alone. The payload shapes below are written for these tests after the
 * shapes in Slack's own SDK test suites:
 * - Slack Connect modal (`view.app_installed_team_id` differing from `team.id`): slackapi/bolt-python
 *   tests/scenario_tests/test_view_submission.py (view_submission body with `app_installed_team_id`)
 *   and slackapi/bolt-js src/App.ts `buildSource` ("a modal view that was opened in a different
 *   workspace via some operations inside a Slack Connect channel").
 * - Org-wide (Enterprise Grid) install event: slackapi/bolt-python tests/scenario_tests/test_events_org_apps.py
 *   (`app_home_opened` with `authorizations[0].team_id: null`, `is_enterprise_install: true`).
 * - Org-wide block_actions: `team: null`, the workspace in `user.team_id`, `enterprise: {id, name}`
 *   (slackapi/bolt-js src/types/actions/block-action.ts; slack-platform.md §3).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionId, ContactField, INPUT_ACTION, ViewId } from '../../src/blocks/ids.js';
import { harnessPerTest } from '../kit/harness.js';
import { API_APP_ID, datePicker, formEncode, newTriggerId, plainInput, staticSelect, VERIFICATION_TOKEN } from '../kit/payloads.js';
import { allText, assertSurfacesValid, teamIdsInDatabase } from './support.js';

const harness = harnessPerTest();

const HOME = 'T0001';
const PARTNER = 'T0PARTNER';
const ME = 'U0001';

const interactive = (payload: object) => ({
  body: formEncode({ payload: JSON.stringify(payload) }),
  contentType: 'application/x-www-form-urlencoded' as const,
});

const contactValues = (account: string) => ({
  [ContactField.account]: { [INPUT_ACTION]: plainInput(account) },
  [ContactField.buyer]: { [INPUT_ACTION]: plainInput(null) },
  [ContactField.kind]: { [INPUT_ACTION]: staticSelect('call') },
  [ContactField.date]: { [INPUT_ACTION]: datePicker('2026-11-26') },
  [ContactField.duration]: { [INPUT_ACTION]: plainInput(null) },
  [ContactField.insight]: { [INPUT_ACTION]: plainInput(null) },
});

/** A contact modal submitted from a Slack Connect channel: `team` is the partner organisation's. */
function slackConnectSubmission(account: string) {
  return interactive({
    type: 'view_submission',
    team: { id: PARTNER, domain: 'partner-co' },
    user: { id: ME, username: 'dana', name: 'dana', team_id: HOME },
    api_app_id: API_APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: newTriggerId(),
    view: {
      id: 'V0SC000001',
      team_id: PARTNER,
      type: 'modal',
      blocks: [],
      private_metadata: '{}',
      callback_id: ViewId.contactModal,
      state: { values: contactValues(account) },
      hash: '1596530361.3wRYuk3R',
      title: { type: 'plain_text', text: 'Log a conversation' },
      clear_on_close: false,
      notify_on_close: false,
      close: { type: 'plain_text', text: 'Cancel' },
      submit: { type: 'plain_text', text: 'Log it' },
      previous_view_id: null,
      root_view_id: 'V0SC000001',
      app_id: API_APP_ID,
      external_id: '',
      app_installed_team_id: HOME,
      bot_id: 'BBOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  });
}

describe('workspace resolution: Slack Connect', () => {
  it('files a modal submitted from a Slack Connect channel under the installing workspace, with no phantom team', async () => {
    const h = await harness();
    const r = await h.send(slackConnectSubmission('Acme Corp'));
    assert.equal(r.status, 200);
    assert.equal(r.text, '', 'the modal closes');
    await h.settle();
    const rows = await h.rows('SELECT team_id, user_id, account FROM contacts');
    assert.deepEqual(rows, [{ team_id: HOME, user_id: ME, account: 'Acme Corp' }]);
    assert.deepEqual(await teamIdsInDatabase(h), [HOME], 'no row anywhere names the partner organisation');
    // The person's own week counts it: /contact list in their workspace shows it.
    const list = await h.command('/contact', 'list', { userId: ME, teamId: HOME });
    assert.match(allText(list.json), /Acme Corp/);
    assertSurfacesValid(h);
  });
});

describe('workspace resolution: org-wide (Enterprise Grid) install', () => {
  const ORG = 'E0ORG';

  it('resolves app_home_opened with an org-level authorization to the workspace it came from', async () => {
    const h = await harness();
    await h.command('/contact', 'Initech', { userId: 'W0001', teamId: 'T0GRID1' });
    h.fake.reset();
    const envelope = {
      token: VERIFICATION_TOKEN,
      team_id: 'T0GRID1',
      enterprise_id: ORG,
      api_app_id: API_APP_ID,
      event: { type: 'app_home_opened', user: 'W0001', channel: 'D0W0001', tab: 'home', event_ts: '1606810927.510671' },
      type: 'event_callback',
      event_id: 'Ev0ORG0001',
      event_time: 1606810927,
      authorizations: [{ enterprise_id: ORG, team_id: null, user_id: 'UBOT', is_bot: true, is_enterprise_install: true }],
      is_ext_shared_channel: false,
    };
    const r = await h.send({ body: JSON.stringify(envelope), contentType: 'application/json' });
    assert.equal(r.status, 200);
    const home = await h.fake.waitFor('views.publish');
    assert.equal(home.args.user_id, 'W0001');
    assert.match(allText(home.args.view), /Initech/, "the Home tab shows the workspace's own data");
    await h.settle();
    assert.deepEqual(await teamIdsInDatabase(h), ['T0GRID1'], 'nothing is filed under the org id or a null team');
    assertSurfacesValid(h);
  });

  it('resolves an org-wide block action (team: null) to the workspace in user.team_id', async () => {
    const h = await harness();
    await h.command('/contact', 'Initech', { userId: 'W0002', teamId: 'T0GRID2' });
    const r = await h.send(
      interactive({
        type: 'block_actions',
        team: null,
        user: { id: 'W0002', username: 'sam', name: 'sam', team_id: 'T0GRID2' },
        enterprise: { id: ORG, name: 'Grid Org' },
        is_enterprise_install: true,
        api_app_id: API_APP_ID,
        token: VERIFICATION_TOKEN,
        trigger_id: newTriggerId(),
        container: { type: 'view', view_id: 'V0HOME0002' },
        view: {
          id: 'V0HOME0002',
          team_id: 'T0GRID2',
          type: 'home',
          blocks: [],
          private_metadata: '',
          callback_id: '',
          state: { values: {} },
        },
        actions: [
          {
            type: 'button',
            action_id: ActionId.homeSnooze,
            block_id: 'home_actions',
            text: { type: 'plain_text', text: 'Snooze a week' },
            action_ts: '1606810927.510671',
          },
        ],
      }),
    );
    assert.equal(r.status, 200);
    await h.settle();
    const snoozes = await h.rows('SELECT team_id, user_id FROM snoozes');
    assert.deepEqual(snoozes, [{ team_id: 'T0GRID2', user_id: 'W0002' }]);
    assert.deepEqual(await teamIdsInDatabase(h), ['T0GRID2']);
    assertSurfacesValid(h);
  });
});
