export { answerQuestion } from './answer';
export { NotFoundError, UnprocessableError, ValidationError } from './errors';
export { handler } from './handler';
