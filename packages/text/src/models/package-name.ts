/** The package name recorded in saved configs and in the model-kind registry. */
export const TEXT_PACKAGE = '@recurrent/text';
