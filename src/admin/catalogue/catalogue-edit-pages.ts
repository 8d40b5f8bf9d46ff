import { z } from 'zod';
import { Router, type Request, type Response } from 'express';
import type { Db } from '../../lib/db/client.js';
import { NotFoundError } from '../../lib/errors.js';
import { createMachineSchema, idParamSchema, type OperatorSchema } from '../../checklists/checklists-schemas.js';
import { findMachine, findOperator } from '../../checklists/checklists-repository.js';
import { fieldErrors, formValues, renderPage } from '../http/render.js';
import { setFlash } from '../http/session.js';
import { editMachine, editOperator, phoneTakenMessage } from './catalogue-edits.js';

type Values = Record<string, unknown>;
type Errors = Record<string, string>;

/** The :id of the URL; a malformed one is a 404 like an unknown one, before any query. */
function idOf(req: Request, what: string): number {
  const p = idParamSchema.safeParse(req.params);
  if (!p.success) throw new NotFoundError(what);
  return p.data.id;
}

async function operatorOf(db: Db, id: number) {
  const operator = await findOperator(db, id);
  if (!operator) throw new NotFoundError('Operator');
  return operator;
}

async function machineOf(db: Db, id: number) {
  const machine = await findMachine(db, id);
  if (!machine) throw new NotFoundError('Machine');
  return machine;
}

const talkingMessage = (name: string) =>
  `${name} has a checklist running on WhatsApp. Cancel it on the Assignments page or wait until it is confirmed, then change the number.`;

/** The edit forms of an operator (name, WhatsApp number) and a machine (name, code). */
export function catalogueEditPages(
  db: Db,
  { operatorSchema, phoneHint }: { operatorSchema: OperatorSchema; phoneHint: string },
): Router {
  const router = Router();

  const operatorPage = (
    res: Response,
    operator: { id: number; name: string },
    values: Values,
    errors: Errors = {},
    status = 200,
    runningAssignmentId: string | null = null,
  ) =>
    renderPage(
      res,
      'operator-edit',
      { title: `Edit · ${operator.name}`, nav: 'operators', operator, values, errors, runningAssignmentId, phoneHint },
      status,
    );
  const machinePage = (
    res: Response,
    machine: { id: number; name: string },
    values: Values,
    errors: Errors = {},
    status = 200,
  ) =>
    renderPage(
      res,
      'machine-edit',
      { title: `Edit · ${machine.name}`, nav: 'machines', machine, values, errors },
      status,
    );

  router.get('/operators/:id/edit', async (req, res) => {
    const operator = await operatorOf(db, idOf(req, 'Operator'));
    await operatorPage(res, operator, { name: operator.name, phoneNumber: operator.phoneNumber });
  });

  router.post('/operators/:id/edit', async (req, res) => {
    const id = idOf(req, 'Operator');
    const values = formValues(req);
    const current = await operatorOf(db, id);
    // A number stored before today's check, or as WhatsApp delivered it, may not pass it: the name can always
    // change, so a number left as it is is not checked again (QA pass: the demo operator could not be renamed).
    const unchanged = typeof values.phoneNumber === 'string' && values.phoneNumber.trim() === current.phoneNumber;
    const schema = unchanged ? operatorSchema.extend({ phoneNumber: z.string().trim() }) : operatorSchema;
    const input = schema.safeParse(values);
    if (!input.success) return operatorPage(res, current, values, fieldErrors(input.error), 400);
    const edit = await editOperator(db, id, input.data);
    const userId = res.locals.user?.id;
    switch (edit.outcome) {
      case 'missing':
        throw new NotFoundError('Operator');
      case 'taken':
        return operatorPage(
          res,
          await operatorOf(db, id),
          values,
          { phoneNumber: await phoneTakenMessage(db, input.data.phoneNumber) },
          409,
        );
      case 'talking':
        req.log.info(
          { operatorId: id, assignmentId: edit.assignmentId, userId },
          'Operator number change refused: a conversation is running',
        );
        return operatorPage(
          res,
          edit.operator,
          values,
          { phoneNumber: talkingMessage(edit.operator.name) },
          409,
          edit.assignmentId,
        );
      case 'saved':
        req.log.info({ operatorId: id, numberChanged: edit.numberChanged, userId }, 'Operator updated');
        setFlash(req, 'ok', `Operator ${edit.operator.name} updated (${edit.operator.phoneNumber}).`);
        return res.redirect(303, '/operators');
    }
  });

  router.get('/machines/:id/edit', async (req, res) => {
    const machine = await machineOf(db, idOf(req, 'Machine'));
    await machinePage(res, machine, { name: machine.name, code: machine.code });
  });

  router.post('/machines/:id/edit', async (req, res) => {
    const id = idOf(req, 'Machine');
    const values = formValues(req);
    const input = createMachineSchema.safeParse(values);
    if (!input.success) return machinePage(res, await machineOf(db, id), values, fieldErrors(input.error), 400);
    const edit = await editMachine(db, id, input.data);
    switch (edit.outcome) {
      case 'missing':
        throw new NotFoundError('Machine');
      case 'taken':
        return machinePage(
          res,
          await machineOf(db, id),
          values,
          { code: `The code ${input.data.code} is already used by another machine` },
          409,
        );
      case 'saved':
        req.log.info({ machineId: id, userId: res.locals.user?.id }, 'Machine updated');
        setFlash(req, 'ok', `Machine ${edit.machine.name} (${edit.machine.code}) updated.`);
        return res.redirect(303, '/machines');
    }
  });

  return router;
}
