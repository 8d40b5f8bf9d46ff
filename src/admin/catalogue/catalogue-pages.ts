import { Router, type Response } from 'express';
import type { Db } from '../../lib/db/client.js';
import type { CountryCode } from '../../lib/phone.js';
import { phoneHint } from '../../lib/validation.js';
import { createMachineSchema, createOperatorSchema } from '../../checklists/checklists-schemas.js';
import { insertMachine, insertOperator, listMachines, listOperators } from '../../checklists/checklists-repository.js';
import { planPhoneFixes } from '../../checklists/phone-fixes.js';
import { fieldErrors, formValues, renderPage } from '../http/render.js';
import { setFlash } from '../http/session.js';
import { catalogueEditPages } from './catalogue-edit-pages.js';
import { phoneTakenMessage, unlessTaken } from './catalogue-edits.js';

/** Operators (phones in E.164) and machines: a list and a form to add one on one page each; each row's Edit form. */
export function cataloguePages(db: Db, defaultCountry: CountryCode): Router {
  const router = Router();
  const operatorSchema = createOperatorSchema(defaultCountry);

  const operatorsPage = async (
    res: Response,
    values: Record<string, unknown> = {},
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const operators = await listOperators(db);
    // Numbers the start's data step left as they are (operator-phones.ts): a person must choose.
    const phoneClashes = planPhoneFixes(operators).clashes;
    return renderPage(
      res,
      'operators',
      {
        title: 'Operators',
        nav: 'operators',
        operators,
        phoneClashes,
        phoneHint: phoneHint(defaultCountry),
        values,
        errors,
      },
      status,
    );
  };
  const machinesPage = async (
    res: Response,
    values: Record<string, unknown> = {},
    errors: Record<string, string> = {},
    status = 200,
  ) =>
    renderPage(
      res,
      'machines',
      { title: 'Machines', nav: 'machines', machines: await listMachines(db), values, errors },
      status,
    );

  // ?name=&phoneNumber= fill the Add form in (the unknown senders page's "Create operator"); nothing is saved.
  router.get('/operators', async (req, res) => {
    const { name, phoneNumber } = req.query;
    await operatorsPage(res, {
      ...(typeof name === 'string' ? { name } : {}),
      ...(typeof phoneNumber === 'string' ? { phoneNumber } : {}),
    });
  });

  router.post('/operators', async (req, res) => {
    const input = operatorSchema.safeParse(req.body ?? {});
    if (!input.success) return operatorsPage(res, formValues(req), fieldErrors(input.error), 400);
    const operator = await unlessTaken(() => insertOperator(db, input.data));
    if (!operator)
      return operatorsPage(
        res,
        formValues(req),
        { phoneNumber: await phoneTakenMessage(db, input.data.phoneNumber) },
        409,
      );
    req.log.info({ operatorId: operator.id, userId: res.locals.user?.id }, 'Operator added');
    setFlash(req, 'ok', `Operator ${operator.name} added (${operator.phoneNumber}).`);
    res.redirect(303, '/operators');
  });

  router.get('/machines', async (_req, res) => {
    await machinesPage(res);
  });

  router.post('/machines', async (req, res) => {
    const input = createMachineSchema.safeParse(req.body ?? {});
    if (!input.success) return machinesPage(res, formValues(req), fieldErrors(input.error), 400);
    const machine = await unlessTaken(() => insertMachine(db, input.data));
    if (!machine)
      return machinesPage(
        res,
        formValues(req),
        { code: `The code ${input.data.code} is already used by another machine` },
        409,
      );
    req.log.info({ machineId: machine.id, userId: res.locals.user?.id }, 'Machine added');
    setFlash(req, 'ok', `Machine ${machine.name} (${machine.code}) added.`);
    res.redirect(303, '/machines');
  });

  router.use(catalogueEditPages(db, { operatorSchema, phoneHint: phoneHint(defaultCountry) }));
  return router;
}
