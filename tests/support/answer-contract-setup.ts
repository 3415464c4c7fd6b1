import { installAnswerContract } from './answer-contract';

installAnswerContract();
