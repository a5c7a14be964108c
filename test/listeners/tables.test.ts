/**
 * The handler tables are typed by the surface they serve (listeners/types.ts): a handler in the wrong
 * table fails `tsc` (npm test type-checks first), which the `@ts-expect-error` lines below prove: if
 * one of those lines compiled, tsc would report the directive as unused and the suite would fail.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contactUndoAction } from '../../src/listeners/actions/contact-buttons.js';
import { actionHandlers } from '../../src/listeners/actions/index.js';
import { contactCommand } from '../../src/listeners/commands/contact.js';
import { commandHandlers } from '../../src/listeners/commands/index.js';
import { appHomeOpened } from '../../src/listeners/events/app-home-opened.js';
import type { ActionTable, CommandTable, EventTable, ViewTable } from '../../src/listeners/types.js';
import { contactModalSubmit } from '../../src/listeners/views/contact-modal.js';
import { viewHandlers } from '../../src/listeners/views/index.js';

describe('listener tables are typed by their surface', () => {
  it('rejects a handler from another surface at compile time', () => {
    const wrong = {
      // @ts-expect-error an action handler is not a command handler
      '/contact': contactUndoAction,
    } satisfies CommandTable;
    const wrongAction = {
      // @ts-expect-error a command handler is not an action handler
      contact_undo: contactCommand,
    } satisfies ActionTable;
    const wrongView = {
      // @ts-expect-error an action handler is not a view submission handler
      contact_modal: contactUndoAction,
    } satisfies ViewTable;
    const wrongEvent = {
      // @ts-expect-error a view submission handler is not an event handler
      app_home_opened: contactModalSubmit,
    } satisfies EventTable;
    const right = { app_home_opened: appHomeOpened } satisfies EventTable;
    assert.ok(wrong && wrongAction && wrongView && wrongEvent && right);
  });

  it('the real tables type-check as their surface', () => {
    const tables: [CommandTable, ActionTable, ViewTable] = [commandHandlers, actionHandlers, viewHandlers];
    assert.ok(tables.every((t) => Object.keys(t).length > 0));
  });
});
