import { z } from 'zod';
import { dbId, plainString } from '../lib/validation.js';

const id = dbId;

export const createAssignmentSchema = z.object({ templateId: id, machineId: id, operatorId: id });

export const listAssignmentsQuery = z.object({
  status: z.enum(['pending', 'active', 'completed', 'cancelled', 'missed']).optional(),
  operatorId: id.optional(),
  machineId: id.optional(),
});

export const uuidParam = z.object({ id: plainString().max(64) });
