import { Router } from 'express';
import type { Db } from '../lib/db/client.js';
import { PG_UNIQUE_VIOLATION } from '../lib/db/pg-errors.js';
import { withTransaction, pgCode } from '../lib/db/transaction.js';
import { ConflictError, NotFoundError } from '../lib/errors.js';
import { parse } from '../lib/http/validate.js';
import type { CountryCode } from '../lib/phone.js';
import * as repo from './checklists-repository.js';
import {
  createMachineSchema,
  createOperatorSchema,
  createTemplateSchema,
  idParamSchema,
} from './checklists-schemas.js';

/** A unique violation becomes a 409 that says which value is taken; the log gets `logged`, without the value. */
async function unique<T>(what: string, fn: () => Promise<T>, logged = what): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (pgCode(err) === PG_UNIQUE_VIOLATION)
      throw new ConflictError(`${what} already exists`, undefined, `${logged} already exists`);
    throw err;
  }
}

export function checklistsRoutes(db: Db, opts: { defaultCountry: CountryCode }): Router {
  const router = Router();
  const operatorSchema = createOperatorSchema(opts.defaultCountry);

  router.post('/operators', async (req, res) => {
    const input = parse(operatorSchema, req.body);
    const operator = await unique(
      `An operator with phone number ${input.phoneNumber}`,
      () => repo.insertOperator(db, input),
      'An operator with this phone number',
    );
    res.status(201).json(operator);
  });
  router.get('/operators', async (_req, res) => {
    res.json({ operators: await repo.listOperators(db) });
  });

  router.post('/machines', async (req, res) => {
    const input = parse(createMachineSchema, req.body);
    const machine = await unique(`A machine with code ${input.code}`, () => repo.insertMachine(db, input));
    res.status(201).json(machine);
  });
  router.get('/machines', async (_req, res) => {
    res.json({ machines: await repo.listMachines(db) });
  });

  router.post('/templates', async (req, res) => {
    const input = parse(createTemplateSchema, req.body);
    const template = await withTransaction(db, (tx) => repo.insertTemplate(tx, input));
    res.status(201).json(template);
  });
  router.get('/templates', async (_req, res) => {
    res.json({ templates: await repo.listTemplates(db) });
  });
  router.get('/templates/:id', async (req, res) => {
    const { id } = parse(idParamSchema, req.params, 'params');
    const template = await repo.findTemplate(db, id);
    if (!template) throw new NotFoundError(`Template ${id}`);
    res.json(template);
  });

  return router;
}
