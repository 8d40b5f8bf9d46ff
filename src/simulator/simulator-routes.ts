import express, { Router, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { fileTypeFromBuffer } from 'file-type';
import type { Db } from '../lib/db/client.js';
import { PG_FOREIGN_KEY_VIOLATION } from '../lib/db/pg-errors.js';
import { pgCode } from '../lib/db/transaction.js';
import { AppError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { MAX_PHOTO_BYTES } from '../photos/photo-store.js';
import { insertAssignment } from '../assignments/assignments-repository.js';
import { listMachines, listOperators, listTemplates } from '../checklists/checklists-repository.js';
import type { SimulatorStore } from '../whatsapp/simulator-sender.js';
import { chatItems } from './chat-model.js';
import { InboundLog, type InboundEntry } from './inbound-log.js';
import {
  assignSchema,
  buttonSchema,
  firstProblem,
  mediaParam,
  pageQuery,
  photoSchema,
  sendSchema,
  type ChatKey,
} from './simulator-schemas.js';
import {
  chatUrl,
  messagesUrl,
  problemPage,
  PUBLIC_DIR,
  renderView,
  securityHeaders,
  type ChatRef,
} from './simulator-render.js';
import { currentQuestionOf, findOperatorById, phoneOfLatestConversation } from './simulator-repository.js';
import { answerHint } from './answer-hint.js';
import { knownUsernames, personFor, type SimulatedPerson } from './simulated-person.js';
import { normaliseUsername, USERNAME } from './username.js';
import {
  deliverToWebhook,
  newSimulatedWamid,
  webhookPayload,
  WebhookDeliveryError,
  type SimulatedInbound,
} from './webhook-payloads.js';

export interface SimulatorDeps {
  db: Db;
  store: SimulatorStore;
  appSecret: string;
  /** The server's own POST /api/whatsapp/webhook, e.g. http://127.0.0.1:5000/api/whatsapp/webhook. */
  webhookUrl: () => string;
  logger: Logger;
  /** Starts a pending assignment (the conversation service's `start`). */
  startAssignment: (assignmentId: string) => Promise<unknown>;
}

/** Operators' phones send JPEG or PNG (some apps WebP); judged by the bytes. */
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

const NOTICES = {
  started: 'Checklist assigned: Question 1 is on its way to the operator.',
  queued:
    'Checklist assigned but not started yet: the operator is answering another checklist (or WhatsApp is switched off). It starts when that ends.',
} as const;

/** The in-browser WhatsApp for development (mounted at /simulator only when no WhatsApp access token is set). */
export function simulatorRoutes(deps: SimulatorDeps): Router {
  const router = Router();
  const log = deps.logger.child({ component: 'simulator' });
  const inbound = new InboundLog();
  const form = express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 20 });
  const receivePhoto = photoUpload();

  router.use(securityHeaders);
  router.use('/assets', express.static(PUBLIC_DIR, { index: false, maxAge: '10m' }));

  /** Usernames played since the server started, so the page lists their chats. */
  const playedUsernames = new Set<string>();

  /** The person whose chat the form or query names, or a 400 page saying why not. */
  async function personOf(res: Response, key: ChatKey): Promise<SimulatedPerson | null> {
    const person = await personFor(deps.db, key);
    if (typeof person === 'string') {
      await problemPage(res, 400, person);
      return null;
    }
    return person;
  }

  /** Both sides of the person's chat, whichever of their addresses each message used. */
  const itemsOf = (person: SimulatedPerson) =>
    chatItems(
      person.addresses.flatMap((a) => inbound.list(a)),
      person.addresses.flatMap((a) => deps.store.messagesFor(a)),
    );

  /** The help line under the chat, for the question the person's checklist is on now. */
  const hintFor = async (person: SimulatedPerson | null) =>
    answerHint(person?.operator ? await currentQuestionOf(deps.db, person.operator.id) : null);

  /** Delivers one message to the webhook as the person, remembers it for the chat, and goes back to the chat. */
  async function sendAs(
    res: Response,
    person: SimulatedPerson,
    message: SimulatedInbound,
    shown: Omit<InboundEntry, 'waMessageId' | 'at'>,
  ) {
    const at = new Date();
    const waMessageId = newSimulatedWamid();
    const payload = webhookPayload({ ...person.sender, name: person.name, waMessageId, at, message });
    try {
      await deliverToWebhook(deps.webhookUrl(), payload, deps.appSecret);
    } catch (err) {
      if (!(err instanceof WebhookDeliveryError)) throw err;
      log.warn(
        { waMessageId, status: err.status, err: err.message },
        '[SIMULATOR] The webhook did not accept the simulated message',
      );
      const hint = err.status === 401 ? ' The simulator and the webhook use different app secrets.' : '';
      return problemPage(res, 502, `The message was not delivered: ${err.message}.${hint}`, person.key);
    }
    inbound.add(person.addresses[0]!, { waMessageId, at, ...shown });
    log.debug({ waMessageId, type: message.type }, '[SIMULATOR] Message delivered to the webhook');
    res.redirect(303, chatUrl(person.key));
  }

  router.get('/', async (req, res) => {
    const query = pageQuery.safeParse(req.query);
    if (!query.success) return problemPage(res, 400, firstProblem(query.error));
    const [operators, templates, machines] = await Promise.all([
      listOperators(deps.db),
      listTemplates(deps.db),
      listMachines(deps.db),
    ]);
    const { phone, username } = query.data;
    // No one named: the chat someone is answering now, else the first operator's.
    const opening =
      phone || username ? null : ((await phoneOfLatestConversation(deps.db)) ?? operators[0]?.phoneNumber);
    const person =
      phone || username ? await personOf(res, query.data) : opening ? await personOf(res, { phone: opening }) : null;
    if ((phone || username) && !person) return;
    if (username) playedUsernames.add(username);
    const currentOperatorId = person?.operator?.id;
    const hint = await hintFor(person);
    res.set('Cache-Control', 'no-store');
    await renderView(res, 200, 'simulator', {
      operators: operators.map((o) => ({
        ...o,
        href: chatUrl({ phone: o.phoneNumber }),
        current: !username && o.id === currentOperatorId,
      })),
      usernames: knownUsernames(playedUsernames, operators).map((u) => ({
        username: u,
        href: chatUrl({ username: u }),
        current: u === username,
      })),
      selected: person
        ? {
            name: person.name,
            operator: person.operator,
            key: person.key,
            userId: 'userId' in person.sender ? person.sender.userId : null,
          }
        : null,
      items: person ? itemsOf(person) : [],
      messagesUrl: person ? messagesUrl(person.key) : '',
      chatHref: person ? chatUrl(person.key) : '/simulator',
      currentOperatorId,
      templates,
      machines,
      notice: query.data.assigned ? NOTICES[query.data.assigned] : null,
      maxPhotoMb: MAX_PHOTO_BYTES / 1024 / 1024,
      hint,
    });
  });

  router.get('/messages', async (req, res) => {
    const query = pageQuery.safeParse(req.query);
    const person = query.success ? await personFor(deps.db, query.data) : null;
    if (!person || typeof person === 'string') {
      res.status(400).json({
        error: {
          code: 'unknown_operator',
          message: 'Pass ?phone= with the phone number of an operator, or ?username= with a username',
        },
      });
      return;
    }
    res.set('Cache-Control', 'no-store').json({
      operator: person.operator ? { name: person.operator.name, phoneNumber: person.operator.phoneNumber } : null,
      messages: itemsOf(person),
      hint: await hintFor(person),
    });
  });

  router.get('/media/:id', async (req, res) => {
    const param = mediaParam.safeParse(req.params);
    const bytes = param.success ? await deps.store.fetchMedia(param.data.id).catch(() => null) : null;
    const type = bytes ? await fileTypeFromBuffer(bytes) : undefined;
    if (!bytes || !type || !PHOTO_TYPES.has(type.mime)) {
      res.status(404).type('text/plain').send('No such photo');
      return;
    }
    res.set('Cache-Control', 'private, max-age=3600').type(type.mime).send(bytes);
  });

  router.post('/send', form, async (req, res) => {
    const input = sendSchema.safeParse(req.body ?? {});
    if (!input.success) return problemPage(res, 400, firstProblem(input.error), chatOf(req.body));
    const person = await personOf(res, input.data);
    if (!person) return;
    await sendAs(res, person, { type: 'text', body: input.data.text }, { kind: 'text', text: input.data.text });
  });

  router.post('/button', form, async (req, res) => {
    const input = buttonSchema.safeParse(req.body ?? {});
    if (!input.success) return problemPage(res, 400, firstProblem(input.error), chatOf(req.body));
    const person = await personOf(res, input.data);
    if (!person) return;
    const { id, title, kind, context, description } = input.data;
    const message: SimulatedInbound =
      kind === 'quick'
        ? { type: 'quick', payload: id, text: title, context }
        : kind === 'row'
          ? { type: 'row', id, title, context, ...(description ? { description } : {}) }
          : { type: 'reply', id, title, context };
    await sendAs(res, person, message, { kind: 'button', text: title });
  });

  router.post('/photo', receivePhoto, async (req, res) => {
    const input = photoSchema.safeParse(req.body ?? {});
    if (!input.success) return problemPage(res, 400, firstProblem(input.error), chatOf(req.body));
    const person = await personOf(res, input.data);
    if (!person) return;
    const file = req.file;
    if (!file || file.size === 0)
      return problemPage(res, 400, 'Choose a photo to send (or take one with the camera).', person.key);
    const type = await fileTypeFromBuffer(file.buffer);
    if (!type || !PHOTO_TYPES.has(type.mime)) {
      return problemPage(
        res,
        400,
        'That file is not a JPEG, PNG or WebP photo. WhatsApp would not send it as a photo.',
        person.key,
      );
    }
    const mediaId = deps.store.addMedia(file.buffer);
    const { caption } = input.data;
    const message: SimulatedInbound = {
      type: 'image',
      mediaId,
      mimeType: type.mime,
      bytes: file.buffer,
      ...(caption ? { caption } : {}),
    };
    await sendAs(res, person, message, { kind: 'photo', text: caption ?? '', mediaId });
  });

  router.post('/assign', form, async (req, res) => {
    const input = assignSchema.safeParse(req.body ?? {});
    if (!input.success) return problemPage(res, 400, firstProblem(input.error));
    const operator = await findOperatorById(deps.db, input.data.operatorId);
    if (!operator) return problemPage(res, 400, 'That operator does not exist any more. Pick one from the list.');
    const { username } = input.data;
    const back = username ? { username } : { phone: operator.phoneNumber };
    const { templateId, machineId, operatorId } = input.data;
    const assignment = await insertAssignment(deps.db, { templateId, machineId, operatorId }).catch((err: unknown) => {
      if (pgCode(err) === PG_FOREIGN_KEY_VIOLATION) return null; // the template or machine was deleted meanwhile
      throw err;
    });
    if (!assignment)
      return problemPage(res, 400, 'That checklist or machine does not exist any more. Pick one from the list.', back);
    let outcome: unknown;
    try {
      outcome = await deps.startAssignment(assignment.id);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return problemPage(res, 400, `The checklist was assigned but could not start: ${err.message}`, back);
    }
    const started = (outcome as { started?: unknown } | null)?.started === true;
    log.info(
      { assignmentId: assignment.id, operatorId: operator.id, started },
      '[SIMULATOR] Checklist assigned from the simulator page',
    );
    res.redirect(303, chatUrl(back, started ? 'started' : 'queued'));
  });

  return router;

  /** multer in memory, one photo up to 5 MB; anything it refuses is the sender's mistake, so a 400 page. */
  function photoUpload(): RequestHandler {
    const upload = multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 10, fieldSize: 16 * 1024 },
    }).single('photo');
    return (req, res, next) => {
      upload(req, res, (err: unknown) => {
        if (!err) return next();
        const code = err instanceof multer.MulterError ? err.code : null;
        log.info({ code }, '[SIMULATOR] Photo upload refused');
        const message =
          code === 'LIMIT_FILE_SIZE'
            ? `The photo is larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MB; WhatsApp would not send it. Choose a smaller one.`
            : code === 'LIMIT_UNEXPECTED_FILE' || code === 'LIMIT_FILE_COUNT'
              ? 'Send one photo at a time, with the "photo" field of the form.'
              : 'The upload was incomplete or not understood. Try again.';
        problemPage(res, 400, message).catch(next);
      });
    };
  }
}

/** The chat a refused form came from, for the 400 page's way back (only when it looks like one). */
const chatOf = (body: unknown): ChatRef | null => {
  const { phone, username } = (body ?? {}) as { phone?: unknown; username?: unknown };
  if (typeof username === 'string' && USERNAME.test(normaliseUsername(username)))
    return { username: normaliseUsername(username) };
  return typeof phone === 'string' && /^\+?[0-9 ]{7,20}$/.test(phone) ? { phone: phone.trim() } : null;
};
