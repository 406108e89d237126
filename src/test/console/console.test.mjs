// Browser test of the operator console: Playwright (playwright-core) driving Debian's Chromium against a running
// service with a real database. Started by OperatorConsoleBrowserTest (Java), which prepares the database (normal
// events, one poisoned call event whose payload holds <script>, the fault then removed) and passes what it expects
// in the environment; afterwards it checks the database again. Exit code 0 = every step passed.
//
//   CONSOLE_URL        the management server, e.g. http://127.0.0.1:9876
//   ADMIN_TOKEN        the service's admin token
//   EXPECTED_STATS     JSON: the counts the overview must show (read from the database by the Java side)
//   POISON_CALL_ID     the poisoned call's id; POISON_EVENT_ID its dialpad_event_id (dead-lettered)
//   SECOND_EVENT_ID    one of the two other dead-lettered events (call.ring)
//   AGENT_CALL_ID      a recorded call with its agent, contact, recording, recap and interaction (the samples)
//   AGENT_ID           the agent of the agent-status sample; CONTACT_ID the contact of the contact-created sample
//   DISCARD_EVENT_ID   a fourth dead-lettered event (call.started), discarded with DISCARD_REASON
//   PAUSE_REASON       the reason typed when pausing processing
//   SMS_ID, SMS_FROM   the SMS of the sms-inbound sample: its id and its sender's number
//   SCREENSHOT_DIR     where the screenshots go (the README's picture is one of them)
//   CHROMIUM           the browser (default /usr/bin/chromium)
import {chromium} from 'playwright-core';
import assert from 'node:assert/strict';
import {mkdirSync} from 'node:fs';
import path from 'node:path';

const url = required('CONSOLE_URL');
const token = required('ADMIN_TOKEN');
const expected = JSON.parse(required('EXPECTED_STATS'));
const poisonCallId = required('POISON_CALL_ID');
const poisonEventId = required('POISON_EVENT_ID');
const secondEventId = required('SECOND_EVENT_ID');
const agentCallId = required('AGENT_CALL_ID');
const agentId = required('AGENT_ID');
const contactId = required('CONTACT_ID');
const discardEventId = required('DISCARD_EVENT_ID');
const discardReason = required('DISCARD_REASON');
const pauseReason = required('PAUSE_REASON');
const smsId = required('SMS_ID');
const smsFrom = required('SMS_FROM');
const screenshots = process.env.SCREENSHOT_DIR || 'screenshots';
const TIMEOUT = 20_000;

/** A RegExp matching this text literally. */
function literally(text) {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error('missing environment variable ' + name);
  return value;
}

let stepNumber = 0;
async function step(name, body) {
  stepNumber++;
  const started = Date.now();
  try {
    await body();
    console.log(`ok ${stepNumber} - ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    console.log(`not ok ${stepNumber} - ${name}`);
    throw e;
  }
}

mkdirSync(screenshots, {recursive: true});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const pageErrors = [];
const cspViolations = [];
let failed = false;
try {
  const context = await browser.newContext({viewport: {width: 1400, height: 1000}});
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') console.log('  browser console: ' + message.text());
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });

  await step('an unauthenticated visit is refused: 401, the sign-in form, no data', async () => {
    const response = await page.goto(url + '/console');
    assert.equal(response.status(), 401);
    await page.locator('#login-form').waitFor();
    assert.equal(await page.locator('#overview').count(), 0);
    const api = await page.evaluate(async () => {
      const stats = await fetch('/stats');
      const replay = await fetch('/dead-letters/replay?all=true', {method: 'POST'});
      return [stats.status, replay.status];
    });
    assert.deepEqual(api, [401, 401]);
  });

  await step('a wrong token is refused with a clear message', async () => {
    await page.fill('#login-token', 'not-the-token');
    await page.click('#login-submit');
    await page.locator('#login-error').waitFor({state: 'visible'});
    assert.match(await page.locator('#login-error').textContent(), /not the admin token/);
    assert.equal(await page.locator('#overview').count(), 0);
  });

  await step('the admin token signs in (HttpOnly, SameSite=Strict cookie) and shows the console', async () => {
    await page.fill('#login-token', token);
    await Promise.all([page.waitForURL(url + '/console'), page.click('#login-submit')]);
    await page.locator('#overview').waitFor();
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'dialpad_admin_session');
    assert.ok(session, 'session cookie set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(await page.evaluate(() => document.cookie.includes('dialpad_admin_session')), false);
  });

  await step('the overview shows the counts that are in the database', async () => {
    for (const [key, value] of Object.entries(expected)) {
      await page.waitForFunction(([k, v]) => {
        const node = document.querySelector(`[data-stat="${k}"]`);
        return node && node.dataset.value === String(v);
      }, [key, value], {timeout: TIMEOUT}).catch(async () => {
        const shown = await page.locator(`[data-stat="${key}"]`).getAttribute('data-value');
        throw new Error(`overview ${key}: shows ${shown}, the database has ${value}`);
      });
    }
    // per type: the poisoned call type shows its dead letter
    await page.locator('#by-type tbody tr[data-key="call.ended"]').waitFor();
    assert.equal(await page.locator('#by-app tbody tr').count() >= 1, true);
  });

  await step('the pause switch pauses processing with a reason, and resumes it after a confirmation', async () => {
    const toggle = page.locator('#processing-switch');
    await page.locator('#processing-switch[aria-checked="true"]:not([disabled])').waitFor();
    assert.match(await page.locator('#processing-state').textContent(), /running/);
    await toggle.click();
    await page.locator('#reason-dialog').waitFor({state: 'visible'});
    assert.match(await page.locator('#reason-title').textContent(), /Pause processing/);
    // the reason is required: the button does nothing without one
    await page.click('#reason-ok');
    assert.equal(await page.locator('#reason-dialog').isVisible(), true, 'still asking for a reason');
    await page.fill('#reason-input', pauseReason);
    await page.click('#reason-ok');
    await page.locator('#reason-dialog').waitFor({state: 'hidden'});
    await page.locator('#processing-switch[aria-checked="false"]').waitFor();
    await page.locator('#processing-state', {hasText: pauseReason}).waitFor();
    assert.match(await page.locator('#processing-state').textContent(), /paused.*by console session [0-9a-f]+/s);
    assert.match(await page.locator('#health').textContent(), /paused/);
    const paused = await page.evaluate(async () => (await (await fetch('/stats')).json()).processing);
    assert.equal(paused.paused, true);
    assert.equal(paused.reason, pauseReason);
    // resuming asks for a confirmation: cancelling changes nothing
    await toggle.click();
    await page.locator('#confirm-dialog').waitFor({state: 'visible'});
    assert.match(await page.locator('#confirm-title').textContent(), /Resume processing/);
    await page.click('#confirm-cancel');
    await page.locator('#confirm-dialog').waitFor({state: 'hidden'});
    await page.click('#refresh');
    assert.equal(await toggle.getAttribute('aria-checked'), 'false');
    await toggle.click();
    await page.locator('#confirm-dialog').waitFor({state: 'visible'});
    await page.click('#confirm-ok');
    await page.locator('#processing-switch[aria-checked="true"]').waitFor();
    await page.locator('#processing-state', {hasText: 'running'}).waitFor();
    const running = await page.evaluate(async () => (await (await fetch('/stats')).json()).processing);
    assert.equal(running.paused, false);
    await page.locator('#banner.success', {hasText: 'Processing resumed'}).click();
    await page.locator('#banner').waitFor({state: 'hidden'});
  });

  const poisonRow = page.locator(`#dl-table tbody tr[data-event="${poisonEventId}"]`);

  await step('the poisoned event is in the dead-letter table, with its error', async () => {
    await poisonRow.waitFor();
    const text = await poisonRow.textContent();
    assert.match(text, /poison call refused by the test trigger/);
    assert.match(text, /call\.ended/);
  });

  await step('the dead-letter table filters by error text and by type', async () => {
    await page.fill('#dl-error', 'no such error text anywhere');
    await page.click('#dl-filter button[type="submit"]');
    await page.locator('#dl-table td.empty').waitFor();
    await page.fill('#dl-error', 'POISON CALL');
    await page.selectOption('#dl-type', 'call.ended');
    await page.click('#dl-filter button[type="submit"]');
    await poisonRow.waitFor();
    assert.match(await page.locator('#dl-count').textContent(), /^1 matching/);
    await page.fill('#dl-error', '');
    await page.click('#dl-filter button[type="submit"]');
    assert.match(await page.locator('#dl-count').textContent(), /^1 matching/);
    await page.selectOption('#dl-type', 'call.ring');
    await page.click('#dl-filter button[type="submit"]');
    await page.locator(`#dl-table tbody tr[data-event="${secondEventId}"]`).waitFor();
    assert.match(await page.locator('#dl-count').textContent(), /^2 matching/);
    await page.click('#dl-clear');
    await poisonRow.waitFor();
  });

  await step('its payload opens on click, and the <script> in it is shown as text, never run', async () => {
    await poisonRow.locator('td.mono').click();
    const detail = page.locator('#dl-detail');
    await detail.waitFor({state: 'visible'});
    const payload = await page.locator('#dl-detail-payload').textContent();
    assert.ok(payload.includes('<script>window.__pwned = 1</script>'), 'script shown as text: ' + payload);
    assert.ok(payload.includes('<img src=x onerror=window.__pwned=2>'), 'img shown as text');
    assert.ok(payload.includes(poisonCallId), 'the int64 call id is shown exactly');
    assert.equal(await page.locator('#dl-detail-payload script, #dl-detail-payload img').count(), 0);
    assert.equal(await page.locator('body script:not([src])').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    await page.screenshot({path: path.join(screenshots, 'operator-console-dead-letter.png')});
    await page.click('#dl-detail-close');
    await detail.waitFor({state: 'hidden'});
  });

  await step('discard a dead letter: a reason is asked, the letter is resolved and shows its reason', async () => {
    const row = page.locator(`#dl-table tbody tr[data-event="${discardEventId}"]`);
    await row.locator('td.mono').click();
    await page.locator('#dl-detail').waitFor({state: 'visible'});
    await page.click('#dl-detail-discard');
    await page.locator('#reason-dialog').waitFor({state: 'visible'});
    assert.match(await page.locator('#reason-title').textContent(), /Discard this dead letter/);
    assert.match(await page.locator('#reason-text').textContent(), literally(discardEventId));
    // cancelling changes nothing
    await page.click('#reason-cancel');
    await page.locator('#reason-dialog').waitFor({state: 'hidden'});
    await page.click('#refresh');
    await row.waitFor();
    await row.locator('td.mono').click();
    await page.click('#dl-detail-discard');
    await page.locator('#reason-dialog').waitFor({state: 'visible'});
    await page.click('#reason-ok');
    assert.equal(await page.locator('#reason-dialog').isVisible(), true, 'a reason is required');
    await page.fill('#reason-input', discardReason);
    await page.click('#reason-ok');
    await page.locator('#banner.success', {hasText: 'Discarded'}).waitFor();
    await row.waitFor({state: 'detached'});
    // among the resolved dead letters, with its reason (as text: the <b> in it is not markup)
    await page.selectOption('#dl-state', 'true');
    await page.click('#dl-filter button[type="submit"]');
    await row.waitFor();
    assert.match(await row.textContent(), literally(discardReason));
    assert.equal(await row.locator('b').count(), 0);
    await row.locator('td.mono').click();
    await page.locator('#dl-detail').waitFor({state: 'visible'});
    assert.match(await page.locator('#dl-detail-fields').textContent(), literally('Discard reason' + discardReason));
    assert.equal(await page.locator('#dl-detail-discard').isVisible(), false);
    assert.equal(await page.locator('#dl-detail-replay').isVisible(), false);
    await page.click('#dl-detail-close');
    await page.click('#dl-clear');
    await poisonRow.waitFor();
    await row.waitFor({state: 'detached'});
    await page.click('#banner');
    await page.locator('#banner').waitFor({state: 'hidden'});
  });

  await step('the chart draws throughput and lag; screenshot of the console', async () => {
    await page.locator('#calls-table tbody tr').first().waitFor();
    await page.locator('#chart polyline.throughput').waitFor({state: 'attached'});
    await page.locator('#chart polyline.lag').waitFor({state: 'attached'});
    await page.screenshot({path: path.join(screenshots, 'operator-console.png'), fullPage: true});
  });

  await step('a console POST without its CSRF token is refused (403), even with the session cookie', async () => {
    const status = await page.evaluate(async () =>
      (await fetch('/dead-letters/replay?all=true', {method: 'POST', credentials: 'same-origin'})).status);
    assert.equal(status, 403);
    assert.equal(await poisonRow.count(), 1, 'nothing was replayed');
  });

  await step('replay asks for confirmation; cancelling changes nothing', async () => {
    await poisonRow.locator('button.replay-one').click();
    await page.locator('#confirm-dialog').waitFor({state: 'visible'});
    assert.match(await page.locator('#confirm-text').textContent(), new RegExp(poisonEventId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await page.click('#confirm-cancel');
    await page.locator('#confirm-dialog').waitFor({state: 'hidden'});
    // a refresh that finds the same page keeps the rows on screen (a click is never lost to a re-render)
    await poisonRow.evaluate((row) => { row.keptAcrossRefresh = true; });
    const loads = Number(await page.locator('#dl-table').getAttribute('data-loads'));
    await page.click('#refresh');
    await page.waitForFunction((n) => Number(document.getElementById('dl-table').dataset.loads) > n, loads);
    assert.equal(await poisonRow.count(), 1);
    assert.equal(await poisonRow.evaluate((row) => row.keptAcrossRefresh), true, 'an unchanged row was re-rendered');
  });

  await step('replay (confirmed) shows the result and the dead letter leaves the table', async () => {
    await poisonRow.locator('button.replay-one').click();
    await page.locator('#confirm-dialog').waitFor({state: 'visible'});
    await page.click('#confirm-ok');
    await page.locator('#banner.success').waitFor();
    assert.match(await page.locator('#banner').textContent(), /Replayed/);
    await poisonRow.waitFor({state: 'detached'});
  });

  await step('replay selected: tick one row, confirm, exactly that one is replayed', async () => {
    const second = page.locator(`#dl-table tbody tr[data-event="${secondEventId}"]`);
    await second.locator('input[type="checkbox"]').check();
    assert.match(await page.locator('#dl-replay-selected').textContent(), /\(1\)/);
    await page.click('#dl-replay-selected');
    await page.locator('#confirm-dialog').waitFor({state: 'visible'});
    assert.match(await page.locator('#confirm-title').textContent(), /1 selected/);
    await page.click('#confirm-ok');
    await page.locator('#banner.success', {hasText: 'Replayed 1 of 1 selected'}).waitFor();
    await second.waitFor({state: 'detached'});
    assert.match(await page.locator('#dl-count').textContent(), /^1 matching/);
  });

  await step('replay all matching the filter: confirm, the table empties', async () => {
    await page.selectOption('#dl-type', 'call.ring');
    await page.click('#dl-filter button[type="submit"]');
    await page.locator('#dl-replay-matching', {hasText: '(1)'}).waitFor();
    await page.click('#dl-replay-matching');
    await page.locator('#confirm-dialog').waitFor({state: 'visible'});
    assert.match(await page.locator('#confirm-text').textContent(), /type call\.ring/);
    await page.click('#confirm-ok');
    await page.locator('#banner.success', {hasText: 'Replayed 1 dead letter'}).waitFor();
    await page.click('#dl-clear');
    await page.locator('#dl-table td.empty').waitFor();
    await page.locator('[data-stat="dead_letters_open"][data-value="0"]').waitFor();
  });

  await step('the replayed event is processed: searching its call id shows the call row and its events', async () => {
    const row = page.locator(`#calls-table tbody tr[data-call-id="${poisonCallId}"]`);
    const deadline = Date.now() + TIMEOUT;
    await page.fill('#call-q', poisonCallId);
    // the event is processed within moments of the replay: search until its row is there
    for (;;) {
      await Promise.all([page.waitForResponse((r) => r.url().includes('/calls?')),
        page.click('#call-search button[type="submit"]')]);
      if (await row.waitFor({timeout: 1000}).then(() => true, () => false)) break;
      if (Date.now() > deadline) throw new Error('the call row never appeared');
    }
    await page.locator('#call-detail').waitFor({state: 'visible'});
    assert.equal(await page.locator('#call-detail-id').textContent(), poisonCallId);
    await page.locator(`#call-events tbody tr[data-event="${poisonEventId}"]`).waitFor();
    assert.match(await page.locator('#call-row').textContent(), /ended/);
    const outcome = await page.locator(`#call-events tbody tr[data-event="${poisonEventId}"] td`).nth(4).textContent();
    assert.match(outcome, /processed/);
  });

  await step('a phone number finds the call too', async () => {
    await page.fill('#call-q', '+15550009999');
    await page.click('#call-search button[type="submit"]');
    await page.locator(`#calls-table tbody tr[data-call-id="${poisonCallId}"]`).waitFor();
  });

  await step('opening a call shows its agent, contact, recording, recap and the legs of its interaction', async () => {
    await page.fill('#call-q', agentCallId);
    await Promise.all([page.waitForResponse((r) => r.url().includes('/calls/' + agentCallId)),
      page.click('#call-search button[type="submit"]')]);
    await page.locator('#call-detail-id', {hasText: agentCallId}).waitFor();
    await page.locator('#call-agent', {hasText: 'Agent Example'}).waitFor();
    assert.match(await page.locator('#call-agent').textContent(), /agent@example\.com.*user.*5991398486736896/s);
    assert.match(await page.locator('#call-contact').textContent(), /Alameda, CA/);
    assert.match(await page.locator('#call-metrics').textContent(), /sales/);
    const recording = page.locator('#call-recordings tbody tr[data-recording="rec_' + agentCallId + '_1"]');
    await recording.waitFor();
    const link = recording.locator('a');
    assert.equal(await link.getAttribute('href'), 'https://dialpad.com/r/' + agentCallId + '/1');
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    assert.match(await page.locator('#call-insights').textContent(), /Customer asked for a quote/);
    assert.match(await page.locator('#call-interaction').textContent(), /answered/);
    const leg = page.locator(`#call-legs tbody tr[data-call-id="${agentCallId}"]`);
    await leg.waitFor();
    assert.equal(await page.locator('#call-legs tbody tr').count(), 1);
    assert.match(await leg.textContent(), /Agent Example/);
    await page.locator('#calls').screenshot({path: path.join(screenshots, 'operator-console-call.png')});
    // a leg opens on Enter, with its app_id
    await leg.focus();
    const [opened] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/calls/' + agentCallId + '?app_id=')),
      page.keyboard.press('Enter')]);
    assert.equal(opened.status(), 200);
    await page.locator('#call-agent', {hasText: 'Agent Example'}).waitFor();
  });

  await step('the Contacts section lists contacts and searches them', async () => {
    const row = page.locator(`#contacts-table tbody tr[data-contact-id="${contactId}"]`);
    await row.waitFor();
    const text = await row.textContent();
    for (const shown of ['Sample Test', 'Example Ltd', '+16043111111', 'sample.test@example.com']) {
      assert.ok(text.includes(shown), 'contact row shows ' + shown + ': ' + text);
    }
    await page.fill('#contact-q', 'nomatch');
    await page.click('#contact-search button[type="submit"]');
    await page.locator('#contacts-table td.empty').waitFor();
    await page.fill('#contact-q', 'Example');
    await page.click('#contact-search button[type="submit"]');
    await row.waitFor();
    assert.match(await page.locator('#contacts-count').textContent(), /^1 found/);
  });

  await step('the Agents section shows each agent\'s status, and its last status changes on click', async () => {
    const row = page.locator(`#agents-table tbody tr[data-agent-id="${agentId}"]`);
    await row.waitFor();
    const text = await row.textContent();
    for (const shown of ['Agent Example', 'agent@example.com', 'wrapup', 'after call work', 'open']) {
      assert.ok(text.includes(shown), 'agent row shows ' + shown + ': ' + text);
    }
    assert.equal(await page.locator('#agent-detail').isVisible(), false);
    await row.click();
    await page.locator('#agent-detail').waitFor({state: 'visible'});
    assert.equal(await page.locator('#agent-detail-name').textContent(), 'Agent Example');
    assert.equal(await page.locator('#agent-history tbody tr').count(), 1);
    assert.match(await page.locator('#agent-history tbody tr').textContent(), /wrapup.*after call work.*open/);
  });

  await step('the events explorer finds an event by its Dialpad id and shows its payload and history', async () => {
    // by a phone number in the payload
    await page.fill('#ev-phone', '+15550009999');
    await page.click('#ev-filter button[type="submit"]');
    const row = page.locator(`#ev-table tbody tr[data-event="${poisonEventId}"]`);
    await row.waitFor();
    // by its Dialpad id: one row, opened at once
    await page.fill('#ev-phone', '');
    await page.fill('#ev-dialpad-id', poisonEventId);
    await Promise.all([page.waitForResponse((r) => r.url().includes('/events/') && !r.url().includes('reprocess')),
      page.click('#ev-filter button[type="submit"]')]);
    await page.locator('#ev-detail-id', {hasText: poisonEventId}).waitFor();
    assert.equal(await page.locator('#ev-table tbody tr').count(), 1);
    assert.match(await row.textContent(), /call\.ended.*processed/s);
    const payload = await page.locator('#ev-detail-payload').textContent();
    assert.ok(payload.includes('<script>window.__pwned = 1</script>'), 'script shown as text: ' + payload);
    assert.ok(payload.includes(poisonCallId), 'the int64 call id is shown exactly');
    assert.equal(await page.locator('#ev-detail script, #ev-detail img').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.match(await page.locator('#ev-detail-fields').textContent(), /Outcomeprocessed/);
    // its history: the dead letter it had, replayed from this console
    const letters = page.locator('#ev-dead-letters tbody tr');
    assert.equal(await letters.count(), 1);
    assert.match(await letters.textContent(), /poison call refused by the test trigger.*replayed/s);
  });

  await step('reprocess of the filter: the dry-run count first, then the job runs to completion', async () => {
    // cancelled after the count: no job
    await page.click('#ev-reprocess');
    await page.locator('#confirm-dialog').waitFor({state: 'visible'});
    assert.equal(await page.locator('#confirm-title').textContent(), 'Reprocess 1 event?');
    assert.match(await page.locator('#confirm-text').textContent(), literally('Dialpad event ' + poisonEventId));
    await page.click('#confirm-cancel');
    await page.locator('#confirm-dialog').waitFor({state: 'hidden'});
    const jobs = await page.evaluate(async () => (await (await fetch('/events/reprocess')).json()).items);
    assert.deepEqual(jobs, [], 'a dry run starts no job');
    // confirmed: the job, and its progress until it completes
    await page.click('#ev-reprocess');
    await page.locator('#confirm-dialog').waitFor({state: 'visible'});
    await page.click('#confirm-ok');
    await page.locator('#banner.success', {hasText: /Reprocess job \d+ started: 1 event/}).waitFor();
    await page.locator('#jobs-box').waitFor({state: 'visible'});
    const job = page.locator('#jobs-table tbody tr[data-status="completed"]');
    await job.waitFor();
    assert.equal(await page.locator('#jobs-table tbody tr').count(), 1);
    assert.match(await job.textContent(), /1 \/ 1.*completed.*console session/s);
    assert.match(await job.textContent(), literally('dialpad_event_id=' + poisonEventId));
    await page.locator('#events').screenshot({path: path.join(screenshots, 'operator-console-events.png')});
  });

  await step('the SMS section lists the message and finds it by number', async () => {
    const row = page.locator(`#sms-table tbody tr[data-message-id="${smsId}"]`);
    await row.waitFor();
    const text = await row.textContent();
    for (const shown of [smsFrom, 'This is a test SMS', 'inbound', smsId]) {
      assert.ok(text.includes(shown), 'SMS row shows ' + shown + ': ' + text);
    }
    await page.fill('#sms-q', 'nomatch');
    await page.click('#sms-search button[type="submit"]');
    await page.locator('#sms-table td.empty').waitFor();
    await page.fill('#sms-q', smsFrom);
    await page.click('#sms-search button[type="submit"]');
    await row.waitFor();
    assert.match(await page.locator('#sms-count').textContent(), /^1 found/);
  });

  await step('the Projections section rebuilds a projection after a confirmation and shows its progress', async () => {
    const row = page.locator('#proj-table tbody tr[data-projection="change_log"]');
    await row.waitFor();
    assert.equal(await page.locator('#proj-table tbody tr').count(), 5);
    await row.locator('button.rebuild').click();
    await page.locator('#confirm-dialog').waitFor({state: 'visible'});
    assert.match(await page.locator('#confirm-title').textContent(), /Rebuild change_log/);
    await page.click('#confirm-ok');
    await page.locator('#banner.success', {hasText: /Rebuild \d+ of change_log started/}).waitFor();
    await page.locator('#proj-table tbody tr[data-projection="change_log"][data-status="completed"]')
      .waitFor({timeout: 60_000});
    const past = page.locator('#rebuilds-table tbody tr[data-status="completed"]');
    await past.waitFor();
    assert.match(await past.textContent(), /change_log.*completed/s);
    await page.locator('#projections').screenshot({path: path.join(screenshots, 'operator-console-projections.png')});
  });

  await step('the audit log lists the operator actions, newest first', async () => {
    const actions = ['pause-processing', 'resume-processing', 'discard-dead-letter', 'replay-dead-letter',
      'replay-dead-letters', 'reprocess-events', 'rebuild-projection'];
    await page.locator('#audit-table tbody tr[data-action="rebuild-projection"]').waitFor();
    const shown = await page.locator('#audit-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.action));
    for (const action of actions) assert.ok(shown.includes(action), action + ' in ' + shown);
    assert.equal(shown[0], 'rebuild-projection', 'newest first');
    assert.ok(shown.indexOf('resume-processing') < shown.indexOf('pause-processing'), 'newest first');
    const discard = page.locator('#audit-table tbody tr[data-action="discard-dead-letter"]');
    assert.match(await discard.textContent(), literally(discardReason));
    assert.match(await discard.textContent(), /console session/);
    const pause = page.locator('#audit-table tbody tr[data-action="pause-processing"]');
    assert.match(await pause.textContent(), literally('reason=' + pauseReason));
    assert.match(await pause.textContent(), /paused=true/);
    await page.locator('#audit').screenshot({path: path.join(screenshots, 'operator-console-audit.png')});
  });

  await step('signing out ends the session', async () => {
    await Promise.all([page.waitForEvent('load'), page.click('#logout')]);
    await page.locator('#login-form').waitFor();
    const response = await page.goto(url + '/console');
    assert.equal(response.status(), 401);
  });

  assert.deepEqual(pageErrors, [], 'no script errors in the page');
  assert.deepEqual(cspViolations, [], 'nothing the Content-Security-Policy had to refuse');
} catch (e) {
  failed = true;
  console.error(e && e.stack ? e.stack : e);
} finally {
  await browser.close();
}
if (pageErrors.length) console.log('page errors: ' + JSON.stringify(pageErrors));
process.exit(failed ? 1 : 0);
