import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../lib/db/client.js';
import { withTransaction } from '../../lib/db/transaction.js';
import { AppError, NotFoundError } from '../../lib/errors.js';
import { dbId } from '../../lib/validation.js';
import { findTemplate, insertTemplate } from '../../checklists/checklists-repository.js';
import { formValues, renderPage } from '../http/render.js';
import { setFlash } from '../http/session.js';
import { moveForm, parseNewTemplate, templateName, type TaskRow } from './template-forms.js';
import {
  blankTaskForm,
  formOfTask,
  parseTaskForm,
  taskColumns,
  taskFormFromBody,
  type TaskForm,
} from './task-settings-form.js';
import {
  activeConversations,
  addTask,
  deleteTask,
  listTemplatesWithCounts,
  lockTask,
  MAX_TASKS,
  moveTask,
  renameTemplate,
  updateTask,
} from './template-queries.js';

const ROWS_STEP = 5;
const ids = z.object({ id: dbId, taskId: dbId.optional() });

export function templatePages(db: Db): Router {
  const router = Router();

  const idsOf = (req: Request) => {
    const p = ids.safeParse(req.params);
    if (!p.success) throw new NotFoundError('Checklist');
    return p.data;
  };
  const editUrl = (id: number) => `/templates/${id}/edit`;

  /** The edit page, optionally with one form's typed values (`row` for a task form) and errors shown again. */
  async function editPage(
    res: Response,
    id: number,
    form: {
      key: string;
      values: Record<string, unknown>;
      errors: Record<string, string>;
      row?: TaskForm;
    } | null = null,
    status = 200,
  ) {
    const [template, active] = await Promise.all([findTemplate(db, id), activeConversations(db, id)]);
    if (!template) throw new NotFoundError('Checklist');
    const taskForms = Object.fromEntries(
      template.tasks.map((t) => [t.id, form?.row && form.key === `task-${t.id}` ? form.row : formOfTask(t)]),
    );
    const newTask = form?.row && form.key === 'new' ? form.row : blankTaskForm();
    await renderPage(
      res,
      'template-edit',
      {
        title: `Edit · ${template.name}`,
        nav: 'templates',
        template,
        form,
        maxTasks: MAX_TASKS,
        active,
        taskForms,
        newTask,
      },
      status,
    );
  }

  /** A refused change (409) is shown on the edit page; anything else is an error page. */
  async function change(req: Request, res: Response, id: number, fn: () => Promise<void>, done: string) {
    try {
      await fn();
      setFlash(req, 'ok', done);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 409) throw err;
      setFlash(req, 'error', err.message);
    }
    res.redirect(303, editUrl(id));
  }

  router.get('/templates', async (_req, res) => {
    await renderPage(res, 'templates', {
      title: 'Checklists',
      nav: 'templates',
      templates: await listTemplatesWithCounts(db),
    });
  });

  router.get('/templates/new', async (_req, res) => {
    const rows: TaskRow[] = Array.from({ length: ROWS_STEP }, () => ({ text: '', requiresPhoto: false }));
    await renderPage(res, 'template-new', { title: 'New checklist', nav: 'templates', values: { name: '' }, rows });
  });

  router.post('/templates', async (req, res) => {
    const form = parseNewTemplate(req.body);
    const body = req.body as { name?: unknown; action?: unknown };
    if (body.action === 'more' || !form.value) {
      const more = body.action === 'more';
      const rows = [
        ...form.rows,
        ...Array.from({ length: more ? ROWS_STEP : Math.max(0, ROWS_STEP - form.rows.length) }, () => ({
          text: '',
          requiresPhoto: false,
        })),
      ].slice(0, MAX_TASKS);
      const errors = more ? {} : form.errors;
      return renderPage(
        res,
        'template-new',
        {
          title: 'New checklist',
          nav: 'templates',
          values: { name: typeof body.name === 'string' ? body.name : '' },
          rows,
          errors,
        },
        more ? 200 : 400,
      );
    }
    const created = await withTransaction(db, (tx) =>
      insertTemplate(tx, { name: form.value!.name, tasks: form.value!.tasks }),
    );
    req.log.info(
      { templateId: created.id, tasks: created.tasks.length, userId: res.locals.user?.id },
      'Checklist created',
    );
    setFlash(
      req,
      'ok',
      `Checklist "${created.name}" created with ${created.tasks.length} task${created.tasks.length === 1 ? '' : 's'}.`,
    );
    res.redirect(303, editUrl(created.id));
  });

  router.get('/templates/:id/edit', async (req, res) => {
    await editPage(res, idsOf(req).id);
  });

  router.post('/templates/:id', async (req, res) => {
    const { id } = idsOf(req);
    const input = templateName.safeParse(req.body ?? {});
    if (!input.success)
      return editPage(
        res,
        id,
        { key: 'name', values: formValues(req), errors: { name: input.error.issues[0]!.message } },
        400,
      );
    await renameTemplate(db, id, input.data.name);
    setFlash(req, 'ok', 'Name saved.');
    res.redirect(303, editUrl(id));
  });

  router.post('/templates/:id/tasks', async (req, res) => {
    const { id } = idsOf(req);
    const row = taskFormFromBody(req.body);
    const { value, keys, errors } = parseTaskForm(row);
    if (!value) return editPage(res, id, { key: 'new', values: formValues(req), errors, row }, 400);
    await change(
      req,
      res,
      id,
      () => withTransaction(db, (tx) => addTask(tx, id, taskColumns(value, keys, null))),
      'Task added at the end.',
    );
  });

  router.post('/templates/:id/tasks/:taskId', async (req, res) => {
    const { id, taskId } = idsOf(req);
    const row = taskFormFromBody(req.body);
    const { value, keys, errors } = parseTaskForm(row);
    if (!value) return editPage(res, id, { key: `task-${taskId}`, values: formValues(req), errors, row }, 400);
    await withTransaction(db, async (tx) => {
      const before = await lockTask(tx, id, taskId!);
      await updateTask(tx, id, taskId!, taskColumns(value, keys, before.options));
    });
    setFlash(req, 'ok', 'Task saved.');
    res.redirect(303, editUrl(id));
  });

  router.post('/templates/:id/tasks/:taskId/move', async (req, res) => {
    const { id, taskId } = idsOf(req);
    const { direction } = moveForm.parse(req.body ?? {});
    await change(
      req,
      res,
      id,
      () => withTransaction(db, (tx) => moveTask(tx, id, taskId!, direction)),
      `Task moved ${direction}.`,
    );
  });

  router.post('/templates/:id/tasks/:taskId/delete', async (req, res) => {
    const { id, taskId } = idsOf(req);
    await change(req, res, id, () => withTransaction(db, (tx) => deleteTask(tx, id, taskId!)), 'Task removed.');
  });

  return router;
}
