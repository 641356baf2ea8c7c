import { en, type Messages } from './en.js';
export const ptBR: Messages = en;
